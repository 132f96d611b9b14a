"""One typed configuration for every stage, loaded once at the edge and passed down.

params.yaml is the only place defaults live. The project's copy (the checkout's params.yaml, which DVC also
reads) is a link to the packaged default ``casereview/resources/params.yaml``, so an installed wheel runs with
the same values anywhere. Another file (``--params`` or ``CASEREVIEW_PARAMS``) may hold only the keys it
changes: it is laid over the packaged default, and the result is validated as a whole. Unknown keys, wrong
types and malformed YAML fail with one line that names the file and the key or line (``ConfigError``).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeFloat,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    ValidationError,
    field_validator,
)

from casereview.settings import RESOURCES_DIR, project_root

PACKAGED_PARAMS = RESOURCES_DIR / "params.yaml"
PARAMS_ENV = "CASEREVIEW_PARAMS"


class ConfigError(ValueError):
    """params.yaml cannot be used; the message names the file and the key or line."""


class _Section(BaseModel):
    # Frozen: a stage cannot change what another stage sees; forbid: a misspelt key is an error, not ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- extract --------------------------------------------------------------------------------------------


class ExtractConfig(_Section):
    max_pages: PositiveInt
    max_file_mb: PositiveFloat
    ocr: Literal["auto", "never"]
    min_chars_per_page: NonNegativeInt
    ocr_timeout_s: PositiveFloat
    # Memory bounds (see extract/limits.py); a file past one is refused with code too_large.
    max_stream_mb: PositiveFloat = 64
    max_decoded_mb: PositiveFloat = 256
    max_content_stream_mb: PositiveFloat = 8
    max_page_load_mb: PositiveFloat = 24
    max_chars_per_page: PositiveInt = 200_000
    max_chars: PositiveInt = 4_000_000
    max_edges_per_page: PositiveInt = 5_000
    max_ocr_megapixels: PositiveFloat = 100


# -- redact ---------------------------------------------------------------------------------------------


class RedactConfig(_Section):
    model: str
    score_threshold: float = Field(ge=0.0, le=1.0)
    subject: Literal["most_frequent", "names", "none"]
    subject_names: tuple[str, ...]
    subject_label: str
    person_label: str
    pseudonyms: Literal["numbered", "roles"] = "numbered"
    replacements: dict[str, str]
    existing_markers: tuple[str, ...]
    leak_min_token_length: PositiveInt
    leak_check: bool
    extra_lists: dict[str, tuple[str, ...]]
    chunk_chars: PositiveInt = 20_000


# -- taxonomy -------------------------------------------------------------------------------------------


class TaxonomyConfig(_Section):
    themes: str
    scie: str


# -- train ----------------------------------------------------------------------------------------------


class ThemesTrainConfig(_Section):
    family: Literal["svc", "lr"]
    C: PositiveFloat
    min_positive: PositiveInt
    default_threshold: float = Field(ge=0.0, le=1.0)
    per_label_min: PositiveInt
    stop_words: Literal["english"] | None
    lexicon_weight: NonNegativeFloat
    drop_proper_nouns: bool
    min_reports: PositiveInt
    strip_boilerplate: bool = False
    kind_weight: NonNegativeFloat = 0.0
    section_weight: NonNegativeFloat = 0.0
    embedding: Literal["minilm"] | None = None
    embedding_weight: NonNegativeFloat = 1.0
    tfidf_weight: NonNegativeFloat = 1.0


class ScieTrainConfig(_Section):
    family: Literal["svc", "lr"]
    C: PositiveFloat
    second_weight: NonNegativeFloat
    corpus_weights: dict[str, NonNegativeFloat]
    calibration_folds: int = Field(ge=2)
    drop_proper_nouns: bool
    min_reports: PositiveInt
    strip_boilerplate: bool = False
    class_weight: Literal["balanced"] | None = None
    kind_weight: NonNegativeFloat = 0.0
    section_weight: NonNegativeFloat = 0.0
    embedding: Literal["minilm"] | None = None
    embedding_weight: NonNegativeFloat = 1.0
    tfidf_weight: NonNegativeFloat = 1.0


class MlflowConfig(_Section):
    enabled: bool
    experiment: str
    registered_model: str
    alias: str


class TrainConfig(_Section):
    corpora: tuple[str, ...]
    cv_on: str | None
    cv_folds: int = Field(ge=2)
    random_split_cv: bool
    n_jobs: PositiveInt
    min_support: PositiveInt
    model_dir: str
    loso_sources: tuple[str, ...] = ()
    themes: ThemesTrainConfig
    scie: ScieTrainConfig
    mlflow: MlflowConfig


# -- classify -------------------------------------------------------------------------------------------


class ClassifyConfig(_Section):
    model_dir: str
    evidence_terms: NonNegativeInt
    paragraph_min_chars: NonNegativeInt
    rollup_passages: PositiveInt


# -- process --------------------------------------------------------------------------------------------


class ProcessConfig(_Section):
    time_limit_s: PositiveFloat
    memory_limit_mb: PositiveFloat
    address_space_mb: PositiveInt | None
    max_tasks_per_child: PositiveInt
    recycle_above_mb: PositiveFloat
    startup_timeout_s: PositiveFloat
    poll_interval_s: PositiveFloat
    db_batch_size: PositiveInt
    retry_codes: tuple[str, ...]
    model_dir: str | None


# -- web ------------------------------------------------------------------------------------------------


class WebConfig(_Section):
    # Login lock-outs (README "Login lock-outs"): per account and address, per address, and per account for
    # browsers without that account's known-device cookie.
    login_max_failures_per_user: PositiveInt
    login_max_failures_per_account_ip: PositiveInt
    login_max_failures_per_ip: PositiveInt
    login_window_seconds: PositiveInt
    known_device_days: PositiveInt
    max_concurrent_password_checks: PositiveInt
    password_min_length: PositiveInt
    trusted_proxies: list[str]

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        import ipaddress

        for entry in value:
            try:
                ipaddress.ip_network(entry.strip(), strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value
    session_hours: PositiveFloat
    context_paragraphs: NonNegativeInt
    queue_page_size: PositiveInt
    import_max_mb: PositiveFloat
    import_roots: tuple[str, ...] = ()  # folders the server may import from; none: folder import is off
    double_verification_share: float = Field(ge=0.0, le=1.0)


class Config(_Section):
    """The whole of params.yaml. ``source`` is the file it came from (for messages and model cards)."""

    extract: ExtractConfig
    redact: RedactConfig
    taxonomy: TaxonomyConfig
    train: TrainConfig
    classify: ClassifyConfig
    process: ProcessConfig
    web: WebConfig
    source: str = Field(default="", exclude=True)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Config:
        """A copy with some keys changed ({"process": {"time_limit_s": 5}}), validated like the file."""
        merged = _deep_merge(self.model_dump(), overrides)
        return _validate(merged, self.source or "overrides")


def resolve_path(path: str | Path) -> Path:
    """Relative paths in params.yaml are relative to the project root, not the working directory."""
    p = Path(path)
    return p if p.is_absolute() else project_root() / p


def params_path(path: str | Path | None = None) -> Path:
    """The file to read: the argument, else $CASEREVIEW_PARAMS, else the project's, else the packaged one."""
    chosen = path or os.environ.get(PARAMS_ENV)
    if chosen:
        return Path(chosen)
    project = project_root() / "params.yaml"
    return project if project.exists() else PACKAGED_PARAMS


def load_config(path: str | Path | None = None) -> Config:
    """The validated configuration (cached per file and modification time)."""
    p = params_path(path)
    try:
        mtime = p.stat().st_mtime
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read the params file ({exc.strerror or exc})") from None
    return _load_cached(str(p.resolve()), mtime)


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Config:
    data = _read_yaml(Path(path))
    if Path(path) != PACKAGED_PARAMS.resolve():
        data = _deep_merge(_read_yaml(PACKAGED_PARAMS), data)
    return _validate(data, path)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the params file ({exc.__class__.__name__})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        raise ConfigError(f"{path}: {where}not valid YAML ({problem})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the params file must be a mapping of sections (extract:, redact:, ...)")
    return data


def _validate(data: dict[str, Any], source: str) -> Config:
    try:
        return Config.model_validate({**data, "source": source})
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        key = ".".join(str(part) for part in first["loc"]) or "(top level)"
        message = "unknown key" if first["type"] == "extra_forbidden" else first["msg"]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ConfigError(f"{source}: {key}: {message}{more}") from None


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Mappings merge key by key; anything else (lists included) in `over` replaces what `base` has."""
    out = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out
