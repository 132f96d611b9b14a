"""Synthetic case review PDFs with exact ground truth (all text invented), for tests and the demo.

    from corpora.synthetic.render import render_review, sample_spec
    truth = render_review("review.pdf", sample_spec(seed=7, index=0))

See render.py for the spec format and the truth it returns; `python -m corpora.synthetic.render --help`.
"""
