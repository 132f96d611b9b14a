"""Stand-off labels: text cut from a source tree by id and checked by hash, never stored with the labels."""

import json
import logging

import pytest
from casereview.classify.corpus import load_labelled
from casereview.classify.standoff import TextResolver, candidates, ofsted_candidates, text_sha1
from casereview.taxonomy import load_taxonomy
from classify_helpers import write_jsonl, write_taxonomy

# An invented inspection report in the layout of the real ones: a "What needs to improve" list with
# entries broken over lines, then numbered paragraphs with page furniture between them.
REPORT = """Inspection of Northwick children's services
What needs to improve
\uf06e The quality of written plans so that parents and children understand what
must change and by when.
\uf06e Management oversight of children who go missing from care.
\uf06e The sufficiency of local homes for children in care.

Main findings
1. Leaders have a clear understanding of the strengths and weaknesses of practice across the service and act on them
quickly, so that most children now receive a timely and proportionate response to their needs.
2. Social workers visit children regularly and see them alone; children's views are recorded and inform their plans,
which are reviewed at regular intervals by managers who know the children well.
\f
Northwick inspection 3
3. Partnership arrangements for children at risk of exploitation are effective: information about children aged 15 or 16. Who
go missing is shared promptly between the police, schools and the local authority, and disruption plans are reviewed.
4. Too brief."""


@pytest.fixture
def shared_root(tmp_path):
    root = tmp_path / "shared"
    (root / "data" / "ofsted" / "text").mkdir(parents=True)
    (root / "data" / "ofsted" / "text" / "r1_northwick.txt").write_text(REPORT, encoding="utf-8")
    return root


@pytest.fixture
def taxes(tmp_path):
    t = load_taxonomy(write_taxonomy(tmp_path / "t.yaml", "themes", ["planning", "missing", "voice"]))
    s = load_taxonomy(write_taxonomy(tmp_path / "s.yaml", "scie", ["tools", "management_systems"]))
    return t, s


def test_cutter_finds_list_entries_across_lines_and_numbered_paragraphs(shared_root):
    cands = ofsted_candidates(shared_root / "data" / "ofsted" / "text" / "r1_northwick.txt")
    recs = [c.text for c in cands if c.type == "recommendation"]
    paras = [c.text for c in cands if c.type == "paragraph"]
    assert recs == ["The quality of written plans so that parents and children understand what must change and by when.",
                    "Management oversight of children who go missing from care.",
                    "The sufficiency of local homes for children in care."]
    assert [p[:30] for p in paras] == ["Leaders have a clear understan", "Social workers visit children ",
                                       "Partnership arrangements for c"]
    assert paras[1].endswith("know the children well. Northwick inspection 3")  # furniture kept, as in the gold
    assert "Who go missing is shared promptly" in paras[2]  # "16. Who" is no paragraph 16: no run
    assert all(c.id.startswith("ofsted:r1_northwick:") for c in cands)
    assert [c.id for c in candidates(shared_root)] == [c.id for c in cands]  # stable ids


def _row(cand, **labels):
    return {"id": cand.id, "source": cand.source, "doc": cand.doc, "type": cand.type,
            "text_sha1": cand.sha1, "themes": [], "scie": None, **labels}


def test_standoff_rows_get_their_text_from_the_source(shared_root, taxes, tmp_path):
    rec = next(c for c in candidates(shared_root) if c.type == "recommendation")
    path = write_jsonl(tmp_path / "labels.jsonl", [_row(rec, themes=["planning"], scie="tools")])
    assert rec.text not in path.read_text()
    (u,) = load_labelled(path, *taxes, resolver=TextResolver(shared_root))
    assert u.text == rec.text and u.themes == ("planning",) and u.scie == "tools" and u.doc == "r1_northwick"


def test_changed_or_missing_source_text_is_skipped_with_a_warning_not_guessed(shared_root, taxes, tmp_path, caplog):
    recs = [c for c in candidates(shared_root) if c.type == "recommendation"]
    rows = [_row(recs[0], scie="tools"), dict(_row(recs[1], scie="tools"), text_sha1=text_sha1("something else")),
            dict(_row(recs[2], scie="tools"), id="ofsted:no_such_report:r0")]
    path = write_jsonl(tmp_path / "labels.jsonl", rows)
    with caplog.at_level(logging.WARNING):
        units = load_labelled(path, *taxes, resolver=TextResolver(shared_root))
    assert [u.id for u in units] == [recs[0].id]
    assert "2 stand-off labels skipped" in caplog.text
    assert recs[1].text not in caplog.text


def test_shipped_standoff_labels_carry_no_text():
    from casereview.settings import project_root

    path = project_root() / "corpora" / "weak" / "labels.jsonl"
    if not path.exists():
        pytest.skip("no stand-off labels shipped")
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert "text" not in row and len(row["text_sha1"]) == 40


def test_seed_lines_become_passages_with_list_dashes_dropped(tmp_path):
    from casereview.classify.standoff import seed_candidates

    path = tmp_path / "007_abcdef.txt"
    path.write_text("Learning from reviews\n\nThe review found that chronologies were rarely shared between agencies.\n"
                    "- to assess how well rapid reviews achieve the tasks required of them\n"
                    "<p>table cell markup that the text extraction left behind</p>\n"
                    "----------------------------------------------------------\n", encoding="utf-8")
    cands = seed_candidates(path)
    assert [c.text for c in cands] == ["The review found that chronologies were rarely shared between agencies.",
                                       "to assess how well rapid reviews achieve the tasks required of them"]
    assert {c.type for c in cands} == {"passage"} and cands[0].id == "seed:007:l0"


def test_candidates_carry_the_section_they_sit_in(shared_root):
    cands = ofsted_candidates(shared_root / "data" / "ofsted" / "text" / "r1_northwick.txt")
    assert {c.section for c in cands if c.type == "recommendation"} == {"what needs to improve"}
    # "Main findings" is no Ofsted heading of resources/classify/sections.yaml: the paragraphs stay under the list
    assert {c.section for c in cands if c.type == "paragraph"} == {"what needs to improve"}
    wrapped = ("Summary\n1. Leaders know the service well and act on what they find, so that children get help "
               "at the right time from the right people in every team.\nThe experiences and progress of children "
               "in care and care \nleavers: good\n2. Children in care live in stable homes near their families "
               "and schools, and their plans are reviewed on time by managers who know them and their families "
               "well.\n3. Short.")
    path = shared_root / "data" / "ofsted" / "text" / "r2_wrapped.txt"
    path.write_text(wrapped, encoding="utf-8")
    paras = [c for c in ofsted_candidates(path) if c.type == "paragraph"]
    assert [c.section for c in paras] == ["summary", "the experiences and progress of children in care and care leavers"]


def test_section_titles_and_generic_headings():
    from casereview.classify.standoff import is_generic_heading, section_title

    assert section_title("4. Matters of concern") == "matters of concern"
    assert section_title("PART 2: RECOMMENDATIONS AND IMPACT") == "recommendations and impact"
    assert section_title("What needs to improve?") == "what needs to improve"
    assert is_generic_heading("Review themes") and is_generic_heading("1. What do we mean by learning?")
    assert not is_generic_heading("The review found that chronologies were rarely shared between agencies.")
    assert not is_generic_heading("- a list entry") and not is_generic_heading("Email: someone@example.org")


def test_gold_units_find_their_section_by_text(shared_root):
    from casereview.classify.corpus import LabelledUnit
    from casereview.classify.standoff import attach_sections

    units = [LabelledUnit(id="g1", doc="r1_northwick", type="recommendation", source="ofsted", themes=(), scie=None,
                          text="Management oversight of children who go missing\n from care."),
             LabelledUnit(id="g2", doc="r1_northwick", type="paragraph", source="ofsted", themes=(), scie=None,
                          text="Not in the report at all, so no section is guessed."),
             LabelledUnit(id="s1", doc="syn", type="paragraph", source="synthetic", themes=(), scie=None, text="x")]
    out = attach_sections(units, TextResolver(shared_root))
    assert [u.section for u in out] == ["what needs to improve", None, None]
