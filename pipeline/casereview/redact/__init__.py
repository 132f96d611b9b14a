"""The redact stage: names become readable pseudonyms, identifiers become labels, nothing original is kept.

Entry points: redact_text(text, config=None) -> RedactedText, redact_document(doc, config=None) -> Document
(config: params.yaml's `redact:` section, a casereview.config.RedactConfig).
Both raise LeakError when a detected name would survive redaction.
"""

from casereview.redact.core import LeakError, RedactedText, redact_document, redact_text

__all__ = ["LeakError", "RedactedText", "redact_document", "redact_text"]
