"""Names that are also places or words (Chester, May, Hope, Devon): is this occurrence a person?

Such words are on the allow-lists (names_also_words.txt), so they are never searched for everywhere; each
capitalised occurrence is judged here from its context, with spaCy's parse and local cues:
- a name: after a title ("Ms Devon", "Mr R. May"), beside another name word ("Summer Chester", "Chester
  Adebayo"), before an age ("DEVON MAY (15)") or a post-nominal ("Devon Marsh HMI"), after a relation
  ("her mother, May"), as the subject of what people do ("Hope said"), as a person's possessive
  ("Chester's parents"), after "the death of";
- once a word is a name somewhere in the text, its other occurrences are names too, unless a place or
  date cue says otherwise ("lived in Devon", "May 2023", "Cheshire West and Chester").
The cue words are data: resources/redaction/name_context.yaml.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

import yaml

from casereview.redact.lists import LIST_DIR, RedactionLists
from casereview.redact.names import Mention

WORD = re.compile(r"(?<!\w)[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?![\w])")
POSSESSIVE = re.compile(r"['’][sS]?$")  # "Kerr's", "KERR'S"
GAELIC = re.compile(r"(?:Mc|Mac|O['’]|Fitz|Nic)[A-Z][\w'’\-]+")
NAME_CUE_BEFORE = re.compile(r"(?i:\b(?:death\s+of|deceased|named|called|known\s+as|aka|n[ée]e))[:,]?\s+$")
INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}$")


@dataclass(frozen=True)
class Cues:
    person_verbs: frozenset[str]
    person_nouns: frozenset[str]
    relations: frozenset[str]
    place_before: frozenset[str]
    place_only_before: frozenset[str]
    age_after: re.Pattern[str]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    data = yaml.safe_load((LIST_DIR / "name_context.yaml").read_text(encoding="utf-8"))
    return Cues(frozenset(w.casefold() for w in data["person_verbs"]),
                frozenset(w.casefold() for w in data["person_nouns"]),
                frozenset(w.casefold() for w in data["relations"]),
                frozenset(w.casefold() for w in data["place_before"]),
                frozenset(w.casefold() for w in data["place_only_before"]),
                re.compile(data["age_after"]))


def fold(word: str) -> str:
    return POSSESSIVE.sub("", word).casefold() if len(word) > 2 else word.casefold()


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


class Judge:
    """One text's words, parse and lists; `mentions()` returns the name uses of the ambiguous words."""

    def __init__(self, text: str, doc, lists: RedactionLists, protected: list[tuple[int, int]],
                 known: set[str], cues: Cues | None = None):
        self.text = text
        self.lists = lists
        self.cues = cues or load_cues()
        self.dual = lists.folded("names_also_words")
        self.allow = lists.allow_tokens()
        self.first_names = lists.first_names() - self.dual
        self.titles = lists.folded("titles") | lists.folded("role_titles")
        self.post_nominals = set(lists.get("post_nominals"))
        self.not_names = lists.folded("org_words") | lists.folded("street_types")
        self.councils = lists.folded("councils")
        self.protected = protected
        self.known = {k.casefold() for k in known} - self.allow
        self.words = list(WORD.finditer(text))
        self.starts = [w.start() for w in self.words]
        self.tokens = {t.idx: t for t in doc} if doc is not None else {}
        self.person_ents = [(e.start_char, e.end_char) for e in (doc.ents if doc is not None else [])
                            if e.label_ == "PERSON"]
        self.lowercase = {w.group() for w in self.words if w.group().islower()}

    # -- the words around a word -----------------------------------------------------------------------
    def _adjacent(self, i: int, j: int) -> bool:
        a, b = sorted((i, j))
        return a >= 0 and b < len(self.words) and self.text[self.words[a].end():self.words[b].start()] in (" ", "-")

    def _before(self, i: int) -> str:
        return self.text[max(0, self.words[i].start() - 60):self.words[i].start()]

    def _after(self, i: int) -> str:
        return self.text[self.words[i].end():self.words[i].end() + 30]

    def _is_protected(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.protected)

    def _is_candidate(self, i: int) -> bool:
        word = self.words[i].group()
        return (is_capitalised(word) and fold(word) in self.dual
                and not self._is_protected(self.words[i].start(), self.words[i].end()))

    # -- name words next to a candidate ----------------------------------------------------------------
    def _name_word(self, i: int, established: set[str], loose: bool = False) -> bool:
        """A capitalised word that is someone's name here: known, a first name, Gaelic or NER's PERSON; an
        ambiguous word once it is established; `loose` also takes an unlisted proper noun ("Adebayo"),
        which is trusted only with a cue around the whole name ("Chester Adebayo HMI")."""
        if not 0 <= i < len(self.words):
            return False
        word = self.words[i].group()
        key = fold(word)
        if not is_capitalised(word) or len(key) < 2 or self._is_protected(self.words[i].start(), self.words[i].end()):
            return False
        if key in self.dual:
            return key in established
        if key in self.not_names or key in self.allow or key in self.titles or word in self.post_nominals:
            return False
        if key in self.known or key in self.first_names or GAELIC.fullmatch(word):
            return True
        if any(s <= self.words[i].start() and self.words[i].end() <= e for s, e in self.person_ents):
            return True
        if not loose:
            return False
        token = self.tokens.get(self.words[i].start())
        from spacy.lang.en.stop_words import STOP_WORDS

        return (token is not None and token.pos_ == "PROPN" and key not in STOP_WORDS
                and word.casefold() not in self.lowercase and not word.isupper())

    def _run(self, i: int, established: set[str], loose: bool = False) -> tuple[int, int]:
        """The indices of the name around word i: adjacent name words on either side (at most 4 words)."""
        first = last = i
        while first > 0 and i - first < 3 and self._adjacent(first - 1, first) \
                and self._name_word(first - 1, established, loose):
            first -= 1
        while last + 1 < len(self.words) and last - i < 3 and self._adjacent(last, last + 1) \
                and self._name_word(last + 1, established, loose):
            last += 1
        return first, last

    # -- cues ------------------------------------------------------------------------------------------
    def _titled(self, first: int) -> bool:
        """After a title ("Ms Devon", "Mr R. May") or after initials ("G. Irvine")."""
        before = self._before(first)
        if re.search(r"(?:^|[.!?:;,]\s+|\n\s*|\()(?:[A-Z]\.\s?){1,3}$", before):
            return True  # not "Plan B. Irvine": initials after a word are not a name's
        before = INITIALS.sub("", before.rstrip()).rstrip() if INITIALS.search(before.rstrip()) else before.rstrip()
        words = before.split()
        return bool(words) and words[-1].rstrip(".").casefold() in self.titles and before.endswith(words[-1])

    def _relation_before(self, first: int) -> bool:
        """"her mother, May", "the health visitor, Sheena Paisley", "the death of Chester"."""
        before = self._before(first)
        if NAME_CUE_BEFORE.search(before):
            return True
        match = re.search(r"(?:\b(her|his|their|the|our|my|your)\s+)?(?:[a-z]+\s+)?([A-Za-z]+)(,)?[ ]+$", before)
        return (match is not None and match.group(2).casefold() in self.cues.relations
                and bool(match.group(1) or match.group(3)))

    def _listed_with_people(self, first: int, last: int, established: set[str]) -> bool:
        """"Chloe and Hope Young", "Kai, Summer and Leo": in a list, right after another person's name."""
        match = re.search(r"(\S+)\s*(,|\band\b|&)\s*$", self._before(first))
        if not match:
            return False
        if match.group(2) == "," and not re.match(r"(?:,\s+|\s+and\s+|\s*&\s*)[A-Z]", self._after(last)):
            return False  # "Sheerness, Kent of ...": a town and its county, not a list of people
        at = self.words[first].start() - len(self._before(first)) + match.start(1)
        index = bisect.bisect_right(self.starts, at) - 1
        return index >= 0 and self.words[index].start() <= at < self.words[index].end() and self._name_word(index, established) and fold(self.words[index].group()) \
            not in self.dual

    def _suffix_cue(self, last: int) -> bool:
        after = self._after(last)
        if self.cues.age_after.match(after):
            return True
        match = re.match(r",?\s+([A-Za-z]+)\b", after)
        return match is not None and match.group(1) in self.post_nominals

    def _acts_as_person(self, i: int) -> bool:
        """Subject of a person's verb, or possessor of a thing only people have."""
        word = self.words[i]
        after = self.text[word.end() - (len(word.group()) - len(POSSESSIVE.sub("", word.group()))):word.end() + 20]
        possessive = re.match(r"['’]s?\s+([A-Za-z]+)", after)
        if possessive and possessive.group(1).casefold() in self.cues.person_nouns:
            return True
        token = self.tokens.get(word.start())
        if token is None or token.dep_ not in ("nsubj", "nsubjpass") or fold(word.group()) in self.councils:
            return False  # "Dorset agreed to fund": a council acts too
        return token.head.lemma_.casefold() in self.cues.person_verbs

    def _place_cue(self, first: int, last: int) -> bool:
        """"in Devon", "3 May", "May 2023", "Cheshire West and Chester", "Devon County Council"."""
        before = self._before(first)
        prev = re.search(r"([\w’'\-]+)[ \t]*$", before)
        ambiguous_first = fold(self.words[first].group()) in self.dual  # "in Devon", not "2022 Roy Middleton"
        if ambiguous_first and prev and (prev.group(1).casefold() in self.cues.place_before
                                         or prev.group(1).isdigit()):
            return True
        listed = re.search(r"([A-Z][\w’'\-]+)\s*(?:,|\band\b|&)\s*$", before)
        if listed and fold(listed.group(1)) in self.allow and fold(listed.group(1)) not in self.dual:
            return True
        if first == last and re.search(r"[A-Z][\w’'\-]+,[ ]$", before) \
                and re.match(r"(?:[.,;:)]|\s+(?:and|in|on|at|for|to)\b|$)", self._after(last)):
            return True  # "Seaton, Devon." "Sheerness, Kent, on ...": a town and its county
        place_after = re.match(r",\s+(?:in\s+)?([A-Z][\w’'\-]+)", self._after(last))  # "Paisley, in Renfrewshire"
        if place_after and fold(place_after.group(1)) in self.allow and fold(place_after.group(1)) not in self.dual:
            return True
        nxt = re.match(r"\s*([\w’'\-]+)", self._after(last))
        return nxt is not None and (nxt.group(1)[:1].isdigit() or fold(nxt.group(1)) in self.not_names
                              or (is_capitalised(nxt.group(1)) and fold(nxt.group(1)) in self.allow
                                  and fold(nxt.group(1)) not in self.dual))

    # -- judging -----------------------------------------------------------------------------------------
    def _strong(self, first: int, last: int, established: set[str]) -> bool:
        return (self._titled(first) or self._relation_before(first) or self._suffix_cue(last)
                or self._listed_with_people(first, last, established) or self._acts_as_person(last))

    def _date_or_place(self, i: int) -> bool:
        """"3 May", "May 2023", "in May Peter saw", "at Chester Zoo": a date or a place whatever follows."""
        prev = re.search(r"([\w’'\-]+)[ \t]*$", self._before(i))
        nxt = re.match(r"[ \t]*(\d)", self._after(i))
        return nxt is not None or (prev is not None and (prev.group(1).isdigit()
                                                         or prev.group(1).casefold() in self.cues.place_only_before))

    def _judge(self, i: int, established: set[str]) -> tuple[int, int] | None:
        """The run of name words (first, last) if word i is used as a name here, else None."""
        if self._date_or_place(i) and not (self._titled(i) or self._relation_before(i)):
            return None
        first, last = self._run(i, established, loose=True)
        if first != last and self._strong(first, last, established):
            return first, last  # "Chester Adebayo HMI", "her mother, Rachael Devon"
        first, last = self._run(i, established)
        if first != last and not self._place_cue(first, last):
            return first, last  # beside a first name or a known name: "Summer Chester"
        if self._strong(first, last, established):
            return first, last
        if fold(self.words[i].group()) in established and not self._place_cue(first, last):
            return first, last
        return None

    def mentions(self) -> list[Mention]:
        candidates = [i for i in range(len(self.words)) if self._is_candidate(i)]
        established: set[str] = set()
        found: dict[int, tuple[int, int]] = {}
        for _ in range(3):  # a word established as a name makes its neighbours and later uses names too
            before = len(established)
            for i in candidates:
                run = self._judge(i, established)
                if run:
                    found[i] = run
                    established.add(fold(self.words[i].group()))
            if len(established) == before:
                break
        mentions, seen = [], set()
        for first, last in sorted(set(found.values())):
            if (first, last) in seen:
                continue
            seen.add((first, last))
            words = [self.words[k].group() for k in range(first, last + 1)]
            tokens = [POSSESSIVE.sub("", w) if len(w) > 2 else w for w in words]
            end = self.words[last].start() + len(tokens[-1])
            start = self.words[first].start()
            initials = INITIALS.search(self.text[max(0, start - 12):start])  # "Mr G. Hamilton": G. goes too
            if initials and initials.end() == min(start, 12):
                letters = "".join(c.casefold() for c in initials.group() if c.isalpha())
                mentions.append(Mention(start - len(initials.group()), end, tokens, letters))
            else:
                mentions.append(Mention(start, end, tokens))
        return mentions


def name_uses(text: str, doc, lists: RedactionLists, protected: list[tuple[int, int]],
              known_mentions: list[Mention]) -> list[Mention]:
    """Mentions of names that are also places or words, where the text uses them as names."""
    if not lists.folded("names_also_words") or not text.strip():
        return []
    known = {t for m in known_mentions for t in m.tokens}
    return Judge(text, doc, lists, protected, known).mentions()
