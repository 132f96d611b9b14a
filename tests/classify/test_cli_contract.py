import json

from casereview.cli import app
from typer.testing import CliRunner

runner = CliRunner()


def test_classify_contract_io(tiny, tmp_path):
    units = [{"id": "r1", "type": "recommendation", "text": "Records show missed health appointments."},
             {"id": "p1", "type": "paragraph", "text": "Practitioners noted exclusion from school."},
             {"id": "f1", "type": "finding", "text": "There was evidence that poor housing conditions persisted."}]
    inp = tmp_path / "units.jsonl"
    inp.write_text("".join(json.dumps(u) + "\n" for u in units))
    out = tmp_path / "pred.jsonl"
    res = runner.invoke(app, ["classify", str(inp), "--out", str(out), "--model-dir", str(tiny["models"])])
    assert res.exit_code == 0, res.output
    preds = [json.loads(line) for line in out.read_text().splitlines()]
    assert [p["id"] for p in preds] == ["r1", "p1", "f1"]
    for p in preds:
        assert {"id", "themes", "theme_scores", "scie", "scie_scores"} <= set(p)
        assert set(p["theme_scores"]) == {"housing", "school", "health"}
        assert all(t in p["theme_scores"] for t in p["themes"])
    assert preds[1]["scie"] is None and preds[1]["scie_scores"] == {}  # paragraphs have no SCIE category
    assert preds[0]["scie"] == "tools" and preds[0]["scie_runner_up"] not in (None, "tools")
    assert abs(sum(preds[0]["scie_scores"].values()) - 1) < 1e-3
    assert preds[0]["themes"] == ["health"] and preds[2]["themes"] == ["housing"]
    assert any("health" in term for term in preds[0]["evidence"]["health"])  # evidence words are in the text


def test_classify_stdout(tiny, tmp_path):
    inp = tmp_path / "u.jsonl"
    inp.write_text(json.dumps({"id": "a", "text": "the GP practice", "type": "paragraph"}) + "\n")
    res = runner.invoke(app, ["classify", str(inp), "--model-dir", str(tiny["models"])])
    assert res.exit_code == 0
    assert json.loads(res.stdout.strip())["id"] == "a"


def test_classify_bad_line_names_file_and_line_not_text(tiny, tmp_path):
    inp = tmp_path / "bad.jsonl"
    inp.write_text(json.dumps({"id": "a", "text": "fine", "type": "paragraph"}) + "\n"
                   + json.dumps({"id": "b", "text": "CONFIDENTIAL Child A", "type": "memo"}) + "\n")
    res = runner.invoke(app, ["classify", str(inp), "--model-dir", str(tiny["models"])])
    assert res.exit_code == 1
    assert "bad.jsonl:2" in res.output and "invalid unit type" in res.output
    assert "CONFIDENTIAL" not in res.output and "Traceback" not in res.output
    inp.write_text("{broken\n")
    res = runner.invoke(app, ["classify", str(inp), "--model-dir", str(tiny["models"])])
    assert res.exit_code == 1 and "bad.jsonl:1: not valid JSON" in res.output


def test_evaluate_writes_metrics(tiny, tmp_path):
    out = tmp_path / "m.json"
    res = runner.invoke(app, ["evaluate", "--gold", str(tiny["corpus"]), "--out", str(out),
                              "--model-dir", str(tiny["models"])])
    assert res.exit_code == 0, res.output
    m = json.loads(out.read_text())
    assert set(m["themes"]["per_label"]) == {"housing", "school", "health"}
    for key in ("micro", "macro", "macro_support_ge5"):
        assert 0 <= m["themes"][key]["f1"] <= 1
    assert 0 <= m["scie"]["accuracy"] <= m["scie"]["top2_accuracy"] <= 1
    cm = m["scie"]["confusion_matrix"]
    assert sum(map(sum, cm["rows_gold_cols_pred"])) == m["scie"]["n"]


def test_train_unknown_label_is_a_clean_error(tiny, tmp_path):
    bad = tmp_path / "corrections.jsonl"
    bad.write_text(json.dumps({"id": "z", "doc": "d", "type": "paragraph", "text": "x", "themes": ["gone"],
                               "scie": None}) + "\n")
    res = runner.invoke(app, ["train", "--params", str(tiny["params"]), "--extra-labels", str(bad),
                              "--model-dir", str(tmp_path / "m"), "--no-cv", "--no-mlflow"])
    assert res.exit_code == 1
    assert "corrections.jsonl:1: unknown theme 'gone'" in res.output
