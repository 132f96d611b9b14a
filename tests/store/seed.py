"""Invented, already-redacted Documents and a small taxonomy for store and web tests (no real text)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

from casereview.config import Config, load_config
from casereview.contracts import Document, Item, Source, ThemeRollup

SCIE_YAML = """\
kind: scie
version: "test-1"
labels:
  - {id: multi_agency_working, label: Multi-agency working, description: agencies working together}
  - {id: family_professional_interaction, label: Family-professional interaction, description: engaging families}
  - {id: human_reasoning, label: Human reasoning, description: judgement and bias}
  - {id: tools, label: Tools, description: forms and systems}
  - {id: management_systems, label: Management systems, description: supervision and procedures}
  - {id: professional_norms_culture, label: Professional norms and culture, description: culture}
"""

THEMES_YAML = """\
kind: themes
version: "test-1"
labels:
- {id: neglect, label: Neglect, description: unmet needs}
- {id: information_sharing, label: Information sharing, description: sharing between agencies}
- {id: voice_of_the_child, label: Voice of the child, description: the child's views}
- {id: workforce_supervision_training, label: Workforce, supervision and training, description: supervision}
"""


def write_taxonomy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "scie.yaml").write_text(SCIE_YAML, encoding="utf-8")
    (folder / "themes.yaml").write_text(THEMES_YAML, encoding="utf-8")
    return folder


def config_with_taxonomy(folder: Path, **sections: dict) -> Config:
    """The project's config with the test taxonomy of `folder` (and any other section changes)."""
    return load_config().with_overrides({"taxonomy": {"scie": str(folder / "scie.yaml"),
                                                      "themes": str(folder / "themes.yaml")}, **sections})


PARAS = [
    "Background. Child A lived with [PERSON] in [ADDRESS]. The health visitor visited twice.",
    "Agencies did not share the referral with each other before the strategy discussion.",
    "RECS",
    "The review found good practice by the school nurse.",
    "Closing remarks about the process of this review.",
]

RECS = [
    ("The CPC should ensure that agencies share referrals within one working day.", "multi_agency_working",
     {"multi_agency_working": 0.91, "tools": 0.05}, ["information_sharing"], {"information_sharing": 0.8}),
    ("Practitioners should be supported to see the child alone and record the child's views.",
     "family_professional_interaction", {"family_professional_interaction": 0.42, "human_reasoning": 0.38},
     ["voice_of_the_child"], {"voice_of_the_child": 0.66, "neglect": 0.2}),
    ("Managers should review supervision arrangements for staff with high caseloads.", "management_systems",
     {"management_systems": 0.55, "professional_norms_culture": 0.3},
     ["workforce_supervision_training"], {"workforce_supervision_training": 0.71}),
]


def make_document(doc_id: str = "doc-001", *, redacted: bool = True, n_items: int = 3) -> Document:
    """A document whose items sit in their own paragraph between invented context paragraphs."""
    parts, items, pos = [], [], 0
    for para in PARAS:
        if para == "RECS":
            for n, (text, scie, scie_scores, themes, theme_scores) in enumerate(RECS[:n_items], 1):
                start = pos
                parts.append(text)
                pos += len(text) + 2
                items.append(Item(id=f"{doc_id}-r{n}", kind="recommendation", number=str(n), text=text,
                                  start=start, end=start + len(text), section="Recommendations",
                                  themes=themes, theme_scores=theme_scores, scie=scie, scie_scores=scie_scores,
                                  evidence={scie: [text.split()[1]]}))
            continue
        parts.append(para)
        pos += len(para) + 2
    text = "\n\n".join(parts)
    for item in items:
        assert text[item.start:item.end] == item.text
    return Document(id=doc_id, source=Source(file=f"{doc_id}.pdf", sha256="0" * 64, pages=3), text=text,
                    items=items, redacted=redacted,
                    themes=[ThemeRollup(id="information_sharing", score=0.8, passages=[])])


def database_url(kind: str, tmp_path: Path, server: str | None = None) -> Iterator[str]:
    """A fresh empty database: SQLite in tmp_path, or a throw-away database on the PostgreSQL server at
    `server` (the session fixture `postgres_url`: CASEREVIEW_TEST_PG_URL or a temporary local cluster)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'cr.db'}"
        return
    if not server:
        raise ValueError(f"database_url({kind!r}) needs the PostgreSQL server URL")
    from casereview.store import db as store_db
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"cr_test_{uuid.uuid4().hex[:12]}"
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield url
    finally:
        engine = store_db._engines.pop(url, None)  # close pooled connections so the database can go
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
