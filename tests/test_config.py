"""One typed configuration: the packaged params.yaml is the only set of defaults; bad files fail in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from casereview.config import PACKAGED_PARAMS, Config, ConfigError, load_config, params_path
from casereview.settings import project_root
from typer.testing import CliRunner


def test_project_params_is_the_packaged_default():
    project = project_root() / "params.yaml"
    assert project.resolve() == PACKAGED_PARAMS.resolve()  # one file: DVC's params.yaml links to it
    assert load_config().source == str(PACKAGED_PARAMS.resolve())


def test_missing_project_params_falls_back_to_the_packaged_default(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEREVIEW_HOME", str(tmp_path))  # a checkout-less install: no params.yaml here
    monkeypatch.delenv("CASEREVIEW_PARAMS", raising=False)
    assert params_path() == PACKAGED_PARAMS
    config = load_config()
    # The guard that keeps children's names out of the shipped vocabularies must not silently turn off.
    assert config.train.themes.drop_proper_nouns is True and config.train.scie.drop_proper_nouns is True
    assert config.redact.leak_check is True


def test_a_partial_file_changes_only_its_keys(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("train:\n  themes:\n    C: 2.5\nprocess:\n  retry_codes: [timeout]\n", encoding="utf-8")
    config = load_config(path)
    default = load_config(PACKAGED_PARAMS)
    assert config.train.themes.C == 2.5 and config.process.retry_codes == ("timeout",)
    assert config.train.themes.family == default.train.themes.family
    assert config.redact == default.redact


@pytest.mark.parametrize("content, expected", [
    ("train:\n  themes:\n    Cc: 1\n", "train.themes.Cc: unknown key"),
    ("train:\n  themes:\n    C: -1\n", "train.themes.C: Input should be greater than 0"),
    ("extract:\n  ocr: sometimes\n", "extract.ocr: Input should be 'auto' or 'never'"),
    ("process:\n  time_limit_s: [1, 2]\n", "process.time_limit_s:"),
    ("redact:\n  leak_check: maybe\n", "redact.leak_check:"),
    ("train:\n  themes: {C: 1\n", "line 3: not valid YAML"),
    ("- just\n- a list\n", "must be a mapping"),
])
def test_a_broken_file_is_one_line_naming_the_file_and_key(tmp_path, content, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message


def test_overrides_are_validated_like_the_file():
    config = load_config()
    changed = config.with_overrides({"process": {"time_limit_s": 5}})
    assert isinstance(changed, Config) and changed.process.time_limit_s == 5
    assert config.process.time_limit_s != 5  # the original is untouched (frozen)
    with pytest.raises(ConfigError, match=r"process\.time_limt_s: unknown key"):
        config.with_overrides({"process": {"time_limt_s": 5}})


def test_the_cli_reports_a_broken_params_file_in_one_line(tmp_path):
    from casereview.cli import app

    bad = tmp_path / "params.yaml"
    bad.write_text("classify:\n  evidence_terms: lots\n", encoding="utf-8")
    units = tmp_path / "units.jsonl"
    units.write_text('{"id": "u1", "text": "Agencies shared information.", "type": "paragraph"}\n')
    result = CliRunner().invoke(app, ["--params", str(bad), "classify", str(units)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "classify.evidence_terms" in lines[0] and "Traceback" not in result.output
    missing = CliRunner().invoke(app, ["--params", str(tmp_path / "nope.yaml"), "classify", str(units)])
    assert missing.exit_code == 1 and "nope.yaml: params file not found" in missing.output


def test_an_installed_package_reads_its_packaged_params(tmp_path):
    """The wheel's params.yaml is package data: load it from another working directory and home."""
    code = ("from casereview.config import load_config; c = load_config(); "
            "print(c.source.endswith('resources/params.yaml'), c.train.themes.drop_proper_nouns)")
    env = {"CASEREVIEW_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["True", "True"]
