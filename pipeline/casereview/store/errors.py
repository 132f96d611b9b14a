"""The errors the store raises. Messages name records and labels, never item text."""

from __future__ import annotations


class StoreError(ValueError):
    """A request the store refuses (bad role, unknown label, stale edit); the message names no text."""


class ConflictError(StoreError):
    """Someone else changed the item since it was loaded."""
