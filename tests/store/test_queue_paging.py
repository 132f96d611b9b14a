"""Keyset pages of the queue: every item exactly once in queue order (with ties in confidence), neighbours and
position by sort key, including for an item the filter no longer matches."""

from __future__ import annotations

import pytest
from casereview.store import import_documents, session_factory
from casereview.store.models import ItemRow
from casereview.store.queue import (
    BadCursor,
    QueueFilter,
    decode_cursor,
    encode_cursor,
    neighbours,
    position,
    queue_count,
    queue_items,
    queue_page,
)
from sqlalchemy import select

from tests.store.seed import database_url, make_document


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    server = request.getfixturevalue("postgres_url") if request.param == "postgresql" else None
    yield from database_url(request.param, tmp_path, server)


CONFIDENCES = [0.5, 0.1, 0.5, 0.9, 0.5, 0.1]  # many ties: the order falls back to document, start, pk


@pytest.fixture()
def url(db_url):
    # Documents imported out of id order so pk order differs from document order.
    import_documents(db_url, [make_document(f"doc-{n:02d}") for n in (5, 2, 7, 1, 4, 3, 6)])
    with session_factory(db_url)() as s, s.begin():
        for n, item in enumerate(s.scalars(select(ItemRow).order_by(ItemRow.pk))):
            item.confidence = CONFIDENCES[n % len(CONFIDENCES)]
    return db_url


def expected_order(s, pred=lambda i: True) -> list[int]:
    items = [i for i in s.scalars(select(ItemRow)) if pred(i)]
    return [i.pk for i in sorted(items, key=lambda i: (i.confidence, i.document_id, i.start, i.pk))]


def all_pages(s, flt: QueueFilter, limit: int) -> list[int]:
    seen, after, pages = [], None, 0
    while True:
        page = queue_page(s, flt, after, limit)
        assert len(page.items) <= limit
        seen += [i.pk for i in page.items]
        pages += 1
        if page.next is None:
            return seen
        after = page.next
        assert pages < 100


@pytest.mark.parametrize("limit", [1, 2, 5, 21, 200])
def test_keyset_pages_cover_every_item_once_in_order(url, limit):
    with session_factory(url)() as s:
        want = expected_order(s)
        assert len(want) == 21 and len(set(CONFIDENCES)) < len(want)
        flt = QueueFilter(status=None)
        assert all_pages(s, flt, limit) == want
        assert [i.pk for i in queue_items(s, flt)] == want
        assert queue_page(s, flt, None, limit).total == 21 == queue_count(s, flt)


def test_pages_follow_the_filter(url):
    with session_factory(url)() as s:
        flt = QueueFilter(theme="voice_of_the_child", status="pending")
        want = expected_order(s, lambda i: "voice_of_the_child" in (i.pred_themes or []))
        assert len(want) == 7
        assert all_pages(s, flt, 3) == want
        assert queue_count(s, flt) == 7


def test_last_page_has_no_next_and_an_exact_fit_ends(url):
    with session_factory(url)() as s:
        flt = QueueFilter(status=None)
        first = queue_page(s, flt, None, 21)
        assert len(first.items) == 21 and first.next is None
        page = queue_page(s, flt, None, 20)
        assert page.next is not None
        rest = queue_page(s, flt, page.next, 20)
        assert len(rest.items) == 1 and rest.next is None


def test_bad_cursors_are_refused(url):
    with session_factory(url)() as s:
        for bad in ["", "%%%", "bm90IGpzb24", encode_cursor((0.5, "d", 1, 2))[:-3] + "!!!", "WzEsMiwzXQ"]:
            with pytest.raises(BadCursor):
                decode_cursor(bad) if bad else queue_page(s, QueueFilter(), "x", 5)
        assert decode_cursor(encode_cursor((0.5, "doc-01", 10, 3))) == (0.5, "doc-01", 10, 3)


def test_neighbours_at_the_edges_and_in_the_middle(url):
    with session_factory(url)() as s:
        flt = QueueFilter(status=None)
        order = expected_order(s)
        assert neighbours(s, flt, order[0]) == (None, order[1])
        assert neighbours(s, flt, order[-1]) == (order[-2], None)
        for n in range(1, len(order) - 1):
            assert neighbours(s, flt, order[n]) == (order[n - 1], order[n + 1])
        assert position(s, flt, order[0]) == 1
        assert position(s, flt, order[10]) == 11
        assert position(s, flt, order[-1]) == 21
        assert neighbours(s, flt, 10**9) == (None, None)


def test_neighbours_of_an_item_outside_the_filter(url):
    with session_factory(url)() as s, s.begin():
        order = expected_order(s)
        middle = s.get(ItemRow, order[10])
        middle.status = "verified"  # verified: it leaves the pending queue
        middle.verified_scie = middle.pred_scie
        middle.sync_current()
    with session_factory(url)() as s:
        flt = QueueFilter(status="pending")
        # Its neighbours are the pending items on either side of its place in the order.
        assert neighbours(s, flt, order[10]) == (order[9], order[11])
        assert position(s, flt, order[10]) is None
        assert position(s, flt, order[11]) == 11
        assert queue_count(s, flt) == 20
        # Items of other documents, seen through a one-document filter: the nearest doc-07 items either side.
        only_doc = QueueFilter(document="doc-07", status=None)
        in_doc = {p for p in order if s.get(ItemRow, p).document_id == "doc-07"}
        assert len(in_doc) == 3
        for idx, pk in enumerate(order):
            if pk in in_doc:
                continue
            want_prev = next((p for p in reversed(order[:idx]) if p in in_doc), None)
            want_next = next((p for p in order[idx + 1:] if p in in_doc), None)
            assert neighbours(s, only_doc, pk) == (want_prev, want_next)


def test_search_counts_stop_at_the_cap_on_sqlite(url, monkeypatch):
    from casereview.store import queue

    monkeypatch.setattr(queue, "COUNT_CAP", 5)
    with session_factory(url)() as s:
        flt = QueueFilter(q="should", status=None)  # every item has the word
        page = queue_page(s, flt, None, 50)
        assert len(page.items) == 21  # the page itself is never cut short
        sqlite = s.get_bind().dialect.name == "sqlite"
        assert (page.total, page.total_capped) == ((5, True) if sqlite else (21, False))
        order = [i.pk for i in page.items]
        assert position(s, flt, order[2]) == 3
        assert position(s, flt, order[-1]) == (None if sqlite else 21)  # past the cap: unknown, not wrong
        assert queue_count(s, QueueFilter(status=None)) == 21  # other counts are exact
