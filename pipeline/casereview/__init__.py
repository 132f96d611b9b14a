"""casereview: a staged NLP pipeline for child-protection case review reports."""

__version__ = "0.1.0"
