"""The Document contract round-trips and rejects malformed input with a message that names the problem."""

import json

import pytest
from casereview.contracts import ContractError, Document, Item, Page, Source, TextUnit


def _doc() -> Document:
    return Document(
        id="abc123",
        source=Source(file="r.pdf", sha256="0" * 64, pages=1),
        text="Recommendation 1: The board should act.",
        pages=[Page(number=1, start=0, end=39)],
        items=[Item(id="abc123-i001", kind="recommendation", number="1", text="The board should act.",
                    start=18, end=39, section=None)],
    )


def test_round_trip_keeps_every_contract_key():
    data = json.loads(_doc().to_json())
    for key in ("schema", "id", "source", "status", "error", "text", "pages", "sections", "items", "redactions"):
        assert key in data
    assert data["schema"] == "casereview.document/1"
    assert Document.from_dict(data) == _doc()


def test_unknown_extra_keys_are_ignored_for_forward_compatibility():
    data = _doc().to_dict()
    data["future_key"] = 1
    data["items"][0]["future_item_key"] = "x"
    assert Document.from_dict(data).items[0].number == "1"


NAME = "Jessica Marlowe"  # an invented name standing in for unredacted text in a malformed field


@pytest.mark.parametrize("mutate, fragment", [
    (lambda d: d.pop("text"), "missing key 'text'"),
    (lambda d: d.update(status=NAME), "invalid status; expected one of ok"),
    (lambda d: d.update(schema=NAME), "unsupported schema; expected"),
    (lambda d: d["items"][0].update(kind=NAME), "invalid item kind; expected one of recommendation"),
    (lambda d: d.update(text=[NAME]), "'text' must be a string"),
])
def test_malformed_documents_are_rejected_with_the_reason_and_never_the_value(mutate, fragment):
    data = _doc().to_dict()
    mutate(data)
    with pytest.raises(ContractError, match=fragment) as info:
        Document.from_dict(data)
    assert "Marlowe" not in str(info.value)


def test_invalid_json_error_gives_position_not_content():
    bad = '{"text": "Jessica Marlowe", "status": tru}'
    with pytest.raises(ContractError) as info:
        Document.from_json(bad)
    assert str(info.value) == f"not valid JSON (line 1, column {bad.index('tru') + 1})"


def test_text_unit_validation():
    assert TextUnit.from_dict({"id": "u1", "text": "t", "type": "finding"}).type == "finding"
    with pytest.raises(ContractError):
        TextUnit.from_dict({"id": "u1", "text": "t", "type": "essay"})
    with pytest.raises(ContractError):
        TextUnit.from_dict({"id": 3, "text": "t"})
