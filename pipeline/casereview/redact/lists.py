"""Allow- and deny-lists: plain text files under resources/redaction/ (one entry a line, '#' comments).

Users extend them by editing those files or by naming extra files in params.yaml (redact.extra_lists:
{public_bodies: [path, ...], deny_names: [...]}); each extra file adds to the list of the same name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from casereview.settings import RESOURCES_DIR

LIST_DIR = RESOURCES_DIR / "redaction"

# list name -> what it holds (the file is LIST_DIR / f"{name}.txt")
LIST_NAMES = {
    "public_bodies": "organisations, services and agencies that stay (matched as phrases)",
    "councils": "UK councils and local authorities, short forms too (Calderdale, Darwen): they stay",
    "organisations": "hospitals, NHS trusts, companies and charities that stay (Network Rail, Cygnet)",
    "conditions": "diagnoses and conditions that stay (Asperger's, Post-Traumatic Stress Disorder)",
    "legislation": "legislation and guidance that stay (Children Act 1989)",
    "post_nominals": "letters after a name that stay (HMI, OBE): the name before them is redacted",
    "names_also_words": "names that are also places or words (Chester, May, Hope): judged from context",
    "org_words": "words that make a capitalised phrase an organisation or place (Council, Hospital...)",
    "roles": "role titles that stay (the health visitor, the lead professional...)",
    "places": "towns, cities, regions and countries that stay",
    "keep_words": "other capitalised words that are never names (months, days, Child, Coroner...)",
    "titles": "courtesy titles before a name, redacted with it (Mr, Mrs, Dr...)",
    "role_titles": "role titles before a name that stay (Coroner, DC, Sergeant...)",
    "street_types": "last words of street names (Road, Street, Drive...)",
    "first_names": "first names: a capitalised one is a name wherever it stands",
    "nicknames": "lines 'Formal: Short, Short': short forms are redacted with the formal name's person",
    "deny_names": "names always redacted, wherever they appear",
}


# Lists of phrases that stay wherever they appear (any case); their single words are never name tokens.
PHRASE_LISTS = ("public_bodies", "councils", "organisations", "conditions", "legislation")


@dataclass
class RedactionLists:
    entries: dict[str, list[str]] = field(default_factory=dict)
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def _memoised(self, key, build):
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def get(self, name: str) -> list[str]:
        return self.entries.get(name, [])

    def folded(self, name: str) -> frozenset[str]:
        return self._memoised(("folded", name), lambda: frozenset(e.casefold() for e in self.get(name)))

    @property
    def titles(self) -> list[str]:
        """Every word that can introduce a name: courtesy titles and role titles."""
        return self.get("titles") + self.get("role_titles")

    @property
    def street_types(self) -> list[str]:
        return self.get("street_types")

    def allow_tokens(self) -> frozenset[str]:
        """Single words that are never treated as a name token (nor counted by the leak check)."""
        return self._memoised("allow", self._allow_tokens)

    def _allow_tokens(self) -> frozenset[str]:
        words = set(self.folded("keep_words")) | set(self.folded("places")) | set(self.folded("org_words"))
        words |= self.folded("post_nominals") | self.folded("names_also_words")
        for phrase in self.phrases():  # roles are not here: "Molly Sergeant", "Jane Judge"
            if " " not in phrase.strip():
                words.add(phrase.casefold())
        return frozenset(words)

    def phrases(self) -> list[str]:
        """Every phrase that stays wherever it appears: public bodies, councils, organisations, conditions,
        legislation."""
        return [phrase for name in PHRASE_LISTS for phrase in self.get(name)]

    def protected_phrases(self) -> list[str]:
        """The phrases never searched into for names: all of them except the single words that are also
        names ("Sutton", "Chester"), which name_or_word judges one occurrence at a time."""
        return self._memoised("protected", lambda: [
            p for p in self.phrases() if " " in p.strip() or p.casefold() not in self.folded("names_also_words")])

    def first_names(self) -> frozenset[str]:
        """The gazetteer plus the short forms in the nickname list ("Danny", "Becky"), folded."""
        return self._memoised("first_names", self._first_names)

    def _first_names(self) -> frozenset[str]:
        shorts = {n for names in self.nickname_map().values() for n in names if len(n) >= 4}
        return frozenset(self.folded("first_names") | {s.casefold() for s in shorts})

    def nickname_map(self) -> dict[str, list[str]]:
        """formal name (folded) -> its short forms, and each short form -> its formal names."""
        return self._memoised("nicknames", self._nickname_map)

    def _nickname_map(self) -> dict[str, list[str]]:
        mapping: dict[str, set[str]] = {}
        for line in self.get("nicknames"):
            formal, _, shorts = line.partition(":")
            names = [formal.strip()] + [s.strip() for s in shorts.split(",") if s.strip()]
            for name in names:
                mapping.setdefault(name.casefold(), set()).update(n for n in names if n != name)
        return {k: sorted(v) for k, v in mapping.items()}


def read_list(path: Path) -> list[str]:
    entries = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            entries.append(line)
    return entries


def resolve_list_path(path: str) -> Path:
    """A list named in params.yaml: as given, or relative to the project's root."""
    from casereview.settings import project_root

    candidate = Path(path)
    if not candidate.is_absolute() and not candidate.exists():
        candidate = project_root() / candidate
    if not candidate.exists():
        raise FileNotFoundError(f"redaction list not found: {path}")
    return candidate


def load_lists(extra: dict[str, list[str]] | None = None) -> RedactionLists:
    """The shipped lists plus any extra files (list name -> paths)."""
    key = tuple(sorted((k, tuple(v)) for k, v in (extra or {}).items()))
    return _load_lists(key)


@lru_cache(maxsize=8)
def _load_lists(extra_key: tuple) -> RedactionLists:
    entries = {name: read_list(LIST_DIR / f"{name}.txt") for name in LIST_NAMES
               if (LIST_DIR / f"{name}.txt").exists()}
    for name, paths in extra_key:
        if name not in LIST_NAMES:
            raise ValueError(f"unknown redaction list {name!r}; known: {', '.join(LIST_NAMES)}")
        for path in paths:
            entries.setdefault(name, []).extend(read_list(resolve_list_path(path)))
    return RedactionLists(entries)
