"""The item-in-context HTML: the right paragraphs, the item and evidence marked, everything escaped."""

from casereview.web.render import context_html, paragraphs


def test_paragraph_spans():
    text = "One.\n\nTwo.\n \nThree."
    assert [text[a:b] for a, b in paragraphs(text)] == ["One.", "Two.", "Three."]


def test_context_marks_item_and_evidence_and_escapes():
    paras = [f"Paragraph {n} <b>x</b> & more." for n in range(8)]
    item = "Agencies should <share> information."
    paras[4] = item
    text = "\n\n".join(paras)
    start = text.index(item)
    html = str(context_html(text, item, start, start + len(item), {"tools": ["information"]}, around=2))
    assert html.count("<p") == 5  # two before, the item, two after
    assert "Paragraph 1 " not in html and "Paragraph 2 " in html and "Paragraph 6 " in html
    assert "Paragraph 7 " not in html
    assert "&lt;b&gt;x&lt;/b&gt; &amp; more." in html and "<b>" not in html
    assert '<mark class="item">Agencies should &lt;share&gt; </mark>' in html
    assert '<mark class="item"><strong class="evidence">information</strong></mark>' in html


def test_context_falls_back_when_offsets_are_wrong():
    text = "Intro.\n\nThe item text.\n\nOutro."
    html = str(context_html(text, "The item text.", 500, 520, {}))
    assert '<mark class="item">The item text.</mark>' in html
    html = str(context_html("", "Only the item.", 0, 5, {}))
    assert '<mark class="item">Only the item.</mark>' in html


def test_taxonomy_files_and_clear_errors(tmp_path):
    import pytest
    from casereview.config import TaxonomyConfig
    from casereview.taxonomy import TaxonomyError, load_label_sets

    files = TaxonomyConfig(scie=str(tmp_path / "scie.yaml"), themes=str(tmp_path / "themes.yaml"))
    with pytest.raises(TaxonomyError, match=r"scie\.yaml"):
        load_label_sets(files)
    (tmp_path / "scie.yaml").write_text("kind: scie\nversion: 1\nlabels:\n  - {id: tools, label: Tools}\n"
                                        "  - {id: old, label: Old, retired: true}\n")
    (tmp_path / "themes.yaml").write_text("kind: themes\nversion: 1\nlabels:\n  - {id: neglect, label: Neglect}\n")
    tax = load_label_sets(files)
    assert [c.id for c in tax.scie_active] == ["tools"] and tax.scie_name("old") == "Old"
    assert tax.theme_name("neglect") == "Neglect" and tax.theme_name("gone") == "gone"
    (tmp_path / "themes.yaml").write_text("kind: themes\nversion: 1\nlabels:\n  - {label: no id}\n")
    with pytest.raises(TaxonomyError, match=r"themes\.yaml"):
        load_label_sets(files)
    project = load_label_sets()  # the project's own files, as trained on
    assert len(project.scie_active) >= 6 and len(project.themes_active) >= 18
