"""The errors the store raises. Messages name records and labels, never item text."""

from __future__ import annotations


class StoreError(ValueError):
    """A request the store refuses (bad role, unknown label, stale edit); the message names no text."""


class ConflictError(StoreError):
    """Someone else changed the item since it was loaded (`item_pk` says which, when known)."""

    def __init__(self, message: str, item_pk: int | None = None):
        super().__init__(message)
        self.item_pk = item_pk


class NeedsConfirmation(StoreError):
    """The change would replace a verification another person made; the caller must confirm it.

    The message names the colleague and their label ids (never item text); `verified_by`, `scie` and
    `themes` carry the same for a page that shows them.
    """

    def __init__(self, verified_by: str, scie: str | None, themes: list[str]):
        self.verified_by, self.scie, self.themes = verified_by, scie, list(themes)
        labels = ", ".join([scie or "no SCIE category", *themes])
        super().__init__(f"{verified_by} already verified this item as {labels}; confirm to replace their label")


class NothingToUndo(StoreError):
    """The user has no change of their own left to undo."""
