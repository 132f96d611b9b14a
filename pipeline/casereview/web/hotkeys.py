"""Keyboard shortcuts for themes on the item page, assigned in taxonomy order.

The bare digits choose the SCIE category, so the first ten themes take Shift+1 … Shift+9, Shift+0; the rest
take the letters that no other shortcut uses. A theme past the last free key has no shortcut (it can still
be reached with t and the arrow keys). app.js reads the keys from data-hotkey, so nothing here is repeated
in the script.
"""

from __future__ import annotations

from dataclasses import dataclass

# Letters other shortcuts use or have reserved: next/previous (n j p k), queue (q), accept (a), save or skip
# (s), comment (c), themes (t), undo (u), flag (f), skip (x).
TAKEN_LETTERS = frozenset("njpkqasctufx")
FREE_LETTERS = tuple(ch for ch in "bdeghilmorvwxyz" if ch not in TAKEN_LETTERS)


@dataclass(frozen=True)
class Hotkey:
    token: str  # what app.js matches: "shift+1" or "b"
    label: str  # what the page shows beside the checkbox


def theme_hotkeys(theme_ids: list[str]) -> dict[str, Hotkey]:
    keys = [Hotkey(f"shift+{d}", f"⇧{d}") for d in "1234567890"] + [Hotkey(ch, ch) for ch in FREE_LETTERS]
    return dict(zip(theme_ids, keys, strict=False))
