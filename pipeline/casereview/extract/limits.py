"""Memory bounds checked before PDFium parses a file.

PDFium decodes a page's content streams (and its fonts) whole, at about 1.5 bytes of memory per decoded
byte: a 2 GiB Flate bomb in a content stream takes over 3 GiB. Image data is not decoded to read text, so
image streams are not counted. The file is read a chunk at a time and each Flate stream is inflated into a
counter, never kept, so this check itself stays within a few megabytes whatever the file holds.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

_CHUNK = 1 << 20
_STREAM = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
# Fonts, object streams, ICC profiles and the like: not page content, so a larger decoded size is fine.
_NOT_CONTENT = re.compile(rb"/Length[123]\b|/Subtype\s*/(?!Form\b)|/Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile)\b|/N\s+\d")
_DICT_WINDOW = 4096  # bytes before "stream" searched for the stream's dictionary


@dataclass(frozen=True)
class StreamBudget:
    largest: int  # decoded bytes of the largest counted stream
    total: int    # decoded bytes of all counted streams


class OverBudget(Exception):
    """A stream (or all of them together) decodes to more than the limit; ``what`` says which limit."""

    def __init__(self, what: str, limit: int):
        super().__init__(what)
        self.what = what
        self.limit = limit


def check_streams(path: str, max_stream: int, max_total: int, max_content: int | None = None) -> StreamBudget:
    """Inflate every non-image Flate stream into a counter; raise OverBudget at the first limit passed.

    Page content (content streams, form XObjects) has its own, lower, ``max_content``: PDFium keeps about
    100 bytes per character it shows, so content that is all text costs a hundred times its size.
    """
    max_content = max_stream if max_content is None else max_content
    largest = total = 0
    with open(path, "rb") as fh:
        buffer = b""
        while True:
            match = _STREAM.search(buffer)
            if match is None:
                block = fh.read(_CHUNK)
                if not block:
                    break
                buffer = buffer[-_DICT_WINDOW:] + block
                continue
            if buffer[max(0, match.start() - 3):match.start()] == b"end":
                buffer = buffer[match.end():]  # "endstream", not the start of one
                continue
            info = _dictionary(buffer[max(0, match.start() - _DICT_WINDOW):match.start()])
            rest = buffer[match.end():]
            if not _FLATE.search(info) or _IMAGE.search(info):
                buffer = rest
                continue
            cap = max_stream if _NOT_CONTENT.search(info) else max_content
            decoded, buffer = _inflate(fh, rest, len(_FLATE.findall(info)), cap)
            largest = max(largest, decoded)
            total += decoded
            if decoded > cap:
                raise OverBudget("stream" if cap == max_stream else "content", cap)
            if total > max_total:
                raise OverBudget("total", max_total)
    return StreamBudget(largest=largest, total=total)


def _dictionary(head: bytes) -> bytes:
    """The stream's own dictionary: the text after the last "obj" before the stream keyword."""
    at = head.rfind(b"obj")
    return head[at:] if at >= 0 else head


class _Full(Exception):
    pass


class _Counter:
    def __init__(self, layers: int, cap: int):
        self.decoders = [zlib.decompressobj() for _ in range(max(1, layers))]
        self.size = 0
        self.cap = cap

    def feed(self, level: int, data: bytes) -> None:
        """Decode ``data`` at ``level`` a megabyte of output at a time, passing it down the filter chain."""
        decoder = self.decoders[level]
        while data and not decoder.eof:
            out = decoder.decompress(data, _CHUNK)
            data = decoder.unconsumed_tail
            if level + 1 < len(self.decoders):
                if out:
                    self.feed(level + 1, out)
            else:
                self.size += len(out)
                if self.size > self.cap:
                    raise _Full
            if not out and not data:
                break


def _inflate(fh, first: bytes, layers: int, cap: int) -> tuple[int, bytes]:
    """Decoded size of one stream (through ``layers`` Flate filters), stopping once it passes ``cap``.

    Returns the size and the bytes read past the stream's end, where the scan goes on.
    """
    counter = _Counter(layers, cap)
    outer = counter.decoders[0]
    data = first
    try:
        while not outer.eof:
            if not data:
                data = fh.read(_CHUNK)
                if not data:
                    break
            counter.feed(0, data)
            data = b""
    except _Full:
        return counter.size, b""
    except zlib.error:
        return counter.size, outer.unconsumed_tail  # damaged data: PDFium stops there too
    return counter.size, outer.unused_data
