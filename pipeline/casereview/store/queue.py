"""The verification queue: filters, free-text search, order (least confident first), keyset pages and
neighbours.

The order is (confidence, document_id, start, pk), the columns of the indexes ix_items_queue and
ix_items_confidence_order, so a page, the item after a key and the count before a key are index range
scans: nothing loads the whole queue.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Select, and_, column, func, literal_column, select, table, text, tuple_
from sqlalchemy.orm import Session

from casereview.store.errors import StoreError
from casereview.store.models import ItemRow, ItemTheme

SortKey = tuple[float, str, int, int]  # (confidence, document_id, start, pk)
MAX_SEARCH_WORDS = 20  # more words than this is not a search, and each one is a condition
COUNT_CAP = 10_000  # a search counts this many matches at most ("10000+"), so a common word stays fast


class BadCursor(StoreError):
    """A page cursor that this code did not write."""


@dataclass
class QueueFilter:
    document: str | None = None
    kind: str | None = None
    category: str | None = None  # SCIE id, matched on the current label
    theme: str | None = None
    status: str | None = "pending"  # pending | verified | None (all)
    assigned_to: str | None = None  # a user name: that person's own queue
    flagged: bool | None = None  # True: only items flagged for discussion
    q: str | None = None  # free text: every word must occur in the redacted item text

    def as_query(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}


@dataclass
class QueuePage:
    items: list[ItemRow]
    next: str | None  # cursor of the page after this one; None on the last page
    total: int
    total_capped: bool = False  # a search with more than COUNT_CAP matches: total is COUNT_CAP


_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


def search_words(q: str | None) -> list[str]:
    """The user's words: whitespace-separated chunks without punctuation at either end ("child's" keeps its
    apostrophe, `"views",` loses its quotes and comma), those with a letter or digit left, at most 20. Both
    dialects search for the same words."""
    words = (_EDGE_PUNCTUATION.sub("", w) for w in (q or "").split())
    return [w for w in words if w][:MAX_SEARCH_WORDS]


def fts5_query(words: list[str]) -> str:
    """An FTS5 query where each word is a quoted string (a phrase of its tokens), so no user input is ever
    read as FTS5 syntax (AND, NEAR, *, ^, column filters). The whole string is bound as one parameter."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def like_pattern(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _pk_in(subquery: Select, dialect: str, ordered: bool) -> ColumnElement[bool]:
    """pk IN (subquery). For a page (`ordered`) on SQLite, `pk + 0` stops the planner from fetching every
    match by rowid and then sorting them: it walks the queue index in order and stops after one page, whatever
    the number of matches (the subquery becomes one in-memory list). A count is better off fetching the
    matches by rowid. PostgreSQL plans the semi-join well by itself."""
    column = ItemRow.pk + 0 if dialect == "sqlite" and ordered else ItemRow.pk
    return column.in_(subquery)


def _search_condition(words: list[str], dialect: str, ordered: bool) -> ColumnElement[bool]:
    if dialect == "sqlite":
        match: Select = (
            select(literal_column("rowid"))
            .select_from(text("items_fts"))
            .where(text("items_fts MATCH :fts_query").bindparams(fts_query=fts5_query(words)))
        )
        return _pk_in(match, dialect, ordered)
    return and_(*(ItemRow.text.ilike(like_pattern(w), escape="\\") for w in words))


def filter_conditions(
    flt: QueueFilter, dialect: str = "sqlite", *, ordered: bool = True
) -> list[ColumnElement[bool]]:
    """The filter as WHERE terms; `ordered`: for a query in queue order (a page, a neighbour), not a count."""
    conds: list[ColumnElement[bool]] = []
    if flt.document:
        conds.append(ItemRow.document_id == flt.document)
    if flt.kind:
        conds.append(ItemRow.kind == flt.kind)
    if flt.status:
        conds.append(ItemRow.status == flt.status)
    if flt.category:
        conds.append(ItemRow.cur_scie == flt.category)
    if flt.theme:
        conds.append(_pk_in(select(ItemTheme.item_pk).where(ItemTheme.theme == flt.theme), dialect, ordered))
    if flt.assigned_to:
        conds.append(ItemRow.assigned_to == flt.assigned_to)
    if flt.flagged is not None:
        conds.append(ItemRow.flagged == flt.flagged)
    words = search_words(flt.q)
    if words:
        conds.append(_search_condition(words, dialect, ordered))
    elif flt.q and flt.q.strip():
        conds.append(ItemRow.pk.is_(None))  # only punctuation: nothing can match
    return conds


SORT_COLUMNS = (ItemRow.confidence, ItemRow.document_id, ItemRow.start, ItemRow.pk)


def _after(key: SortKey) -> ColumnElement[bool]:
    """Rows strictly after `key` in queue order: a row-value comparison, which SQLite (3.15+) and PostgreSQL
    both answer with a range seek on the queue indexes."""
    return tuple_(*SORT_COLUMNS) > tuple_(*key)


def _before(key: SortKey) -> ColumnElement[bool]:
    return tuple_(*SORT_COLUMNS) < tuple_(*key)


def dialect_of(session: Session) -> str:
    return session.get_bind().dialect.name


def queue_select(flt: QueueFilter, dialect: str = "sqlite") -> Select:
    stmt = select(ItemRow).where(*filter_conditions(flt, dialect))
    # Least confident first; ties in reading order so the queue is stable.
    return stmt.order_by(*(c.asc() for c in SORT_COLUMNS))


def queue_items(session: Session, flt: QueueFilter) -> list[ItemRow]:
    """The whole filtered queue (small databases and tests; the web app uses queue_page)."""
    return list(session.scalars(queue_select(flt, dialect_of(session))))


def queue_pks(session: Session, flt: QueueFilter) -> list[int]:
    """The filtered queue's item pks in order, without loading item text."""
    return list(session.scalars(queue_select(flt, dialect_of(session)).with_only_columns(ItemRow.pk)))


def sort_key(item: ItemRow) -> SortKey:
    return (float(item.confidence), item.document_id, int(item.start), int(item.pk))


def encode_cursor(key: SortKey) -> str:
    raw = json.dumps(list(key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> SortKey:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        c, d, s, p = json.loads(raw)
        if not (isinstance(c, int | float) and isinstance(d, str) and isinstance(s, int) and isinstance(p, int)):
            raise ValueError
        if isinstance(c, bool) or isinstance(s, bool) or isinstance(p, bool):
            raise ValueError
        if not (-(2**63) <= s < 2**63 and -(2**63) <= p < 2**63):
            raise ValueError
        return (float(c), d, s, p)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadCursor("not a valid page cursor") from None


def _fts_match(words: list[str]) -> ColumnElement[bool]:
    return text("items_fts MATCH :fts_query").bindparams(fts_query=fts5_query(words))  # type: ignore[return-value]


def count_matching(session: Session, flt: QueueFilter, *extra: ColumnElement[bool]) -> tuple[int, bool]:
    """How many items match (and `extra`), and whether that is only a lower bound.

    A search on SQLite counts at most COUNT_CAP matches, joining the FTS5 matches to items as they stream
    (a word in most items would otherwise cost a list of every match). Other counts are exact."""
    dialect = dialect_of(session)
    words = search_words(flt.q)
    if dialect != "sqlite" or not words:
        conds = filter_conditions(flt, dialect, ordered=False)
        return int(session.scalar(select(func.count()).select_from(ItemRow).where(*conds, *extra)) or 0), False
    rest = filter_conditions(replace(flt, q=None), dialect, ordered=False)
    fts = table("items_fts", column("rowid"))
    hits = (
        select(ItemRow.pk)
        .select_from(fts)
        .join(ItemRow, ItemRow.pk == fts.c.rowid)
        .where(_fts_match(words), *rest, *extra)
        .limit(COUNT_CAP + 1)
        .subquery()
    )
    n = int(session.scalar(select(func.count()).select_from(hits)) or 0)
    return min(n, COUNT_CAP), n > COUNT_CAP


def queue_count(session: Session, flt: QueueFilter) -> int:
    return count_matching(session, flt)[0]


def queue_page(
    session: Session, flt: QueueFilter, after: str | SortKey | None = None, limit: int = 200
) -> QueuePage:
    """One page of the filtered queue after the cursor `after` (the start when None), with the cursor of
    the next page and the size of the whole filtered queue."""
    key = decode_cursor(after) if isinstance(after, str) else after
    stmt = queue_select(flt, dialect_of(session))
    if key is not None:
        stmt = stmt.where(_after(key))
    rows = list(session.scalars(stmt.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor(sort_key(rows[-1])) if more and rows else None
    total, capped = count_matching(session, flt)
    return QueuePage(items=rows, next=nxt, total=total, total_capped=capped)


def _key_of(session: Session, pk: int) -> SortKey | None:
    row = session.execute(select(*SORT_COLUMNS).where(ItemRow.pk == pk)).first()
    return None if row is None else (float(row[0]), row[1], int(row[2]), int(row[3]))


def neighbours(session: Session, flt: QueueFilter, pk: int) -> tuple[int | None, int | None]:
    """Previous and next item pks around pk in the filtered queue, by its place in the queue order (pk need
    not match the filter any more: after it is verified, "next" is still the item after it)."""
    key = _key_of(session, pk)
    if key is None:
        return (None, None)
    conds = filter_conditions(flt, dialect_of(session))
    prev_stmt = select(ItemRow.pk).where(*conds, _before(key)).order_by(*(c.desc() for c in SORT_COLUMNS))
    next_stmt = select(ItemRow.pk).where(*conds, _after(key)).order_by(*(c.asc() for c in SORT_COLUMNS))
    return (session.scalar(prev_stmt.limit(1)), session.scalar(next_stmt.limit(1)))


def position(session: Session, flt: QueueFilter, pk: int) -> int | None:
    """1-based place of pk in the filtered queue, or None when it does not match the filter."""
    key = _key_of(session, pk)
    if key is None:
        return None
    if count_matching(session, flt, ItemRow.pk == pk)[0] == 0:
        return None
    before, capped = count_matching(session, flt, _before(key))
    return None if capped else before + 1
