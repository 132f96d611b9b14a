"""Normalisation shared by the real-layout truth and its scorer (stand-off: hashes, never text)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

WORD = re.compile(r"\w+")


def norm(text: str) -> str:
    return " ".join(WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def stand_off(text: str, edge_words: int = 3) -> dict:
    """first/last words, word count and hash of one item or heading text."""
    words = norm(text).split()
    return {"first_words": " ".join(words[:edge_words]), "last_words": " ".join(words[-edge_words:]),
            "n_words": len(words), "text_sha1": hashlib.sha1(" ".join(words).encode()).hexdigest()}
