"""Our Presidio recognisers, one YAML file each in resources/redaction/recognizers/ (patterns, scores,
context words), and Presidio's own that UK case reviews need (_registry.yaml).

- A recogniser that is only patterns is a Presidio custom recogniser (`type: custom`): its file joins
  _registry.yaml's configuration, which Presidio's RecognizerRegistryProvider validates and builds.
- A recogniser needing more than a pattern (a check digit, a stop-word test) names its class
  (`class_name`), one file each in this package; it is built from its file's fields and added to the
  registry (Presidio's configuration schema takes no patterns for a class of its own).
Each recogniser emits one entity type; the redactor maps entity types to replacement labels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from casereview.redact.lists import LIST_DIR
from casereview.redact.recognizers.base import CaseReviewRecognizer, expand_patterns
from casereview.redact.recognizers.chi import ChiRecognizer, mod11_check_ok
from casereview.redact.recognizers.initialled_name import InitialledNameRecognizer
from casereview.redact.recognizers.name_before_coroner import NameBeforeCoronerRecognizer
from casereview.redact.recognizers.uk_phone import UkPhoneRecognizer
from casereview.redact.recognizers.uk_postcode import ConfidentUkPostcodeRecognizer

RECOGNIZER_DIR = LIST_DIR / "recognizers"
REGISTRY_FILE = "_registry.yaml"
CLASSES: dict[str, type] = {cls.__name__: cls for cls in (
    CaseReviewRecognizer, ChiRecognizer, InitialledNameRecognizer, NameBeforeCoronerRecognizer, UkPhoneRecognizer,
    ConfidentUkPostcodeRecognizer)}

__all__ = ["CLASSES", "RECOGNIZER_DIR", "class_recognizers", "mod11_check_ok", "recognizer_configs",
           "registry_configuration"]


def recognizer_configs(folder: Path = RECOGNIZER_DIR) -> list[dict[str, Any]]:
    """Every recogniser file's fields, in file-name order."""
    return [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted(folder.glob("*.yaml")) if p.name != REGISTRY_FILE]


def registry_configuration(folder: Path = RECOGNIZER_DIR) -> dict[str, Any]:
    """Presidio's registry configuration: _registry.yaml plus our pattern-only recognisers."""
    config = yaml.safe_load((folder / REGISTRY_FILE).read_text(encoding="utf-8"))
    config["recognizers"] = list(config.get("recognizers") or [])
    for conf in recognizer_configs(folder):
        if "class_name" not in conf:
            config["recognizers"].append({**conf, "patterns": expand_patterns(conf["patterns"])})
    return config


def class_recognizers(folder: Path = RECOGNIZER_DIR) -> list:
    """Our recognisers that have a class, built from their files."""
    built = []
    for conf in recognizer_configs(folder):
        if "class_name" in conf:
            fields = {k: v for k, v in conf.items() if k not in ("class_name", "type")}
            built.append(CLASSES[conf["class_name"]](**fields))
    return built
