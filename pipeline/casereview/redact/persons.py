"""People, not strings: which name mentions are one person, what the text says each one is, who the child is.

Every detected name token is searched for in the whole text (recall must not depend on NER seeing every
mention); the hits become runs, the stretches of name words ("Kirsty Brannock", "Ms K.D. Lennie", "Ellie's").
Full names (two or more tokens) make people first; two full names with different first names are two people
even when they share a surname. Each lone token ("Ellie", "Ms Brannock", "Mr M. Bell") is then resolved in
reading order, most explicit evidence first:

1. a declaration the text makes ("refers to the mother as Ms Galbraith", "recorded as J. Smith"), which also
   fixes later uses of the same title + initials + name;
2. a stated relation ("her father, Mr Smith", "Auntie Jo") that someone already holds;
3. a first name (or a short form of it);
4. a surname, to the nearest earlier person it fits (title gender, adult/child, initials).

A lone token that fits nobody becomes a person of its own: two people are never merged silently.
Relations stated next to a name ("her mother, Kirsty Brannock", "Darren Lusk, the GP") give the person a role,
which the roles pseudonyms use ("Mother", "Mother's partner", "GP 1").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from casereview.redact.names import (
    FUNCTION_POS,
    WORD,
    Mention,
    NameFinder,
    expand_hyphens,
    is_initial,
    normalise,
)
from casereview.settings import RESOURCES_DIR

CUES_PATH = RESOURCES_DIR / "redaction" / "person_cues.txt"
RELATIONS_PATH = RESOURCES_DIR / "redaction" / "relations.txt"
SUBJECT = -2  # a relation owned by the child the review is about ("her mother")
PRONOUN = -3  # "her"/"his": whose is decided once the people named before it are known
NAME_DEPS = {"nsubj", "nsubjpass", "poss", "dobj", "pobj", "conj", "appos", "dative"}
PLACE_BEFORE = {"in", "near", "at", "from", "to", "of", "the", "a", "an", "into", "across", "around", "outside"}
DETERMINERS = {"the", "her", "his", "their", "its", "a", "an"}
DECLARED_AFTER = r"[\"”’']?\s+(?:(?:refers|refer|means|denotes|stands\s+for|is\s+used\s+for)\s+)?(?:to\s+)?(?:the|her|his)\s+"
ALIAS_AFTER = re.compile(r"\b(?:as|called|nicknamed)\s+[\"“‘']?(?P<alias>[A-Z][a-z][\w'’\-]*)")


# -- data files ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relation:
    phrase: str
    label: str  # the roles pseudonym, without its number
    numbered: bool
    gender: str  # "f", "m" or ""
    age: str  # "adult", "child" or ""

    @property
    def base(self) -> str:
        """The last word: "Paternal aunt" and "Aunt" are the same kind of relation."""
        return self.label.split()[-1].casefold()


@dataclass(frozen=True)
class Cues:
    female_titles: frozenset[str]
    male_titles: frozenset[str]
    child_titles: frozenset[str]
    declaration_words: frozenset[str]
    subject_possessors: frozenset[str]
    child_age: re.Pattern
    existing_labels: re.Pattern
    adult_after: frozenset[str]
    same_person: frozenset[str]


def _lines(path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def load_cues() -> Cues:
    raw = dict(line.split(":", 1) for line in _lines(CUES_PATH))
    words = {k.strip(): frozenset(v.strip().casefold() for v in raw[k].split(",") if v.strip()) for k in raw}
    labels = [v.strip() for v in raw["existing_labels"].split(",") if v.strip()]
    return Cues(words["female_titles"], words["male_titles"], words["child_titles"],
                words["declaration_words"], words["subject_possessors"],
                re.compile(raw["child_age_pattern"].strip(), re.IGNORECASE),
                re.compile(r"(?<!\w)(?:" + "|".join(labels) + r")(?!\w)"), words["adult_after"],
                words["same_person_phrases"])


@lru_cache(maxsize=1)
def load_relations() -> dict[str, Relation]:
    relations = {}
    for line in _lines(RELATIONS_PATH):
        phrase, _, rest = line.partition("=")
        label, gender, age = ([part.strip() for part in rest.split("|")] + ["", ""])[:3]
        numbered = label.endswith(" n")
        relations[phrase.strip().casefold()] = Relation(phrase.strip(), label[:-2] if numbered else label,
                                                        numbered, gender, age)
    return relations


def existing_label_spans(text: str) -> list[tuple[int, int]]:
    """Pseudonyms the text already uses ("Child E", "Adult 1", "Parent 1"): kept, and never handed out."""
    return [(m.start(), m.end()) for m in load_cues().existing_labels.finditer(text)]


# -- runs and people ---------------------------------------------------------------------------------------


@dataclass
class Run:
    """One occurrence of a name in the text: its name tokens, and the initials and title written with it."""

    start: int
    end: int
    tokens: tuple[str, ...]
    initials: str = ""
    title: str = ""
    title_start: int = -1
    person: int = -1


@dataclass
class Individual:
    given: set[str] = field(default_factory=set)  # first names (and their declared or short forms)
    surnames: set[str] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)  # every name token, hyphen parts too
    full_names: list[tuple[str, ...]] = field(default_factory=list)
    initials: set[str] = field(default_factory=set)
    gender: str = ""
    age: str = ""  # "adult", "child" (under 16), "young" (16 or 17: a child, but "Ms"/"Mr" may be used) or ""
    relation: Relation | None = None
    owner: int | None = None  # the run whose person the relation belongs to, or SUBJECT
    runs: list[int] = field(default_factory=list)


@dataclass
class People:
    runs: list[Run]
    people: list[Individual]
    subject: int | None = None

    def role_label(self, index: int) -> tuple[str, bool] | None:
        """(label, always numbered) for a person whose relation the text states, relative to the subject."""
        person = self.people[index]
        if person.relation is None:
            return None
        owner = person.owner
        if owner is None or owner == SUBJECT:
            return person.relation.label, person.relation.numbered
        owner_person = self.runs[owner].person
        if owner_person == self.subject or owner_person == index:
            return person.relation.label, person.relation.numbered
        if owner_person >= 0 and self.people[owner_person].relation is not None:
            owner_label = self.role_label(owner_person) if self.people[owner_person].owner != owner else None
            if owner_label and not owner_label[1]:
                return f"{owner_label[0]}'s {person.relation.phrase.casefold()}", person.relation.numbered
        return None


class PersonResolver:
    def __init__(self, finder: NameFinder, doc, mentions: list[Mention],
                 judged: list[tuple[int, int]] | None = None):
        self.finder = finder
        # Names that are also places or words ("Devon", "May"), judged to be names where they stand: they
        # count there, and only there (they are kept out of the vocabulary searched over the whole text).
        self.judged = sorted(judged or [])
        self.text = finder.text
        self.doc = doc
        self.cues = load_cues()
        self.relations = load_relations()
        self.nicknames = finder.lists.nickname_map()
        self.first_names = finder.lists.first_names()
        self.mentions = mentions
        self.runs: list[Run] = []
        self.people: list[Individual] = []
        self.sentence_starts = sorted({s.start_char for s in doc.sents}) if doc is not None and \
            doc.has_annotation("SENT_START") else [0]
        self.pos = {t.idx: t.pos_ for t in doc} if doc is not None else {}

    # -- runs ----------------------------------------------------------------------------------------
    def vocabulary(self) -> set[str]:
        vocab: set[str] = set()
        for mention in self.mentions:
            vocab |= expand_hyphens(tuple(normalise(t) for t in mention.tokens))
        aliases = {normalise(n) for t in vocab for n in self.nicknames.get(t, [])}
        vocab |= {a for a in aliases if self.finder.occurrences(a)}
        return {t for t in vocab if len(t) >= 2 and t not in self.finder.allow and t not in self.cues.adult_after
                and t not in self.relations}

    def declared_aliases(self) -> list[Mention]:
        """A capitalised word the text declares to be someone's other name ("in health records as Scotty")."""
        found = []
        for match in ALIAS_AFTER.finditer(self.text):
            window = set(re.findall(r"[a-z]+", self.text[max(0, match.start() - 40):match.end()].casefold()))
            word = match.group("alias")
            folded = normalise(word)
            if not window & self.cues.declaration_words or folded in self.finder.allow or \
                    folded in self.finder.titles or folded in self.relations or \
                    self.finder._is_protected(match.start("alias"), match.end("alias")):
                continue
            if not any(m.start < match.start() for m in self.mentions):
                continue  # an alias of nobody named yet
            found.append(Mention(match.start("alias"), match.end("alias"), [word]))
        return found

    def build_runs(self) -> None:
        self.mentions = self.mentions + self.declared_aliases()
        vocab = self.vocabulary()
        spans = [(m.start, m.end) for m in self.mentions]
        for token in vocab:
            spans += self.finder.occurrences(token)
        extra = self.word_surnames(vocab, spans)
        vocab = vocab | set(extra)
        for occurrences in extra.values():
            spans += occurrences
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and (start <= merged[-1][1] or self.text[merged[-1][1]:start] in (" ", "-")):
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        first_pass = [self.make_run(start, end, vocab) for start, end in merged]
        surnames = {run.tokens[-1] for run in first_pass if run is not None and len(run.tokens) > 1}
        gained: set[str] = set()
        for start, end in merged:
            extended = self.word_name_before(start, end, surnames)
            word = normalise(self.text[extended:start].strip())
            if word:
                gained.add(word)
            run = self.make_run(extended, end, vocab | gained)
            if run is not None:
                self.runs.append(run)
        self.runs += self.word_given_names(gained, vocab | gained)
        self.runs.sort(key=lambda r: r.start)

    def word_given_names(self, words: set[str], vocab: set[str]) -> list[Run]:
        """Other uses of a first name that is also a word or place ("Chester Lewis-Grant ... Chester was"):
        only where the parse reads it as a person (proper noun as subject, possessor or object), not after
        "in", "near", "the" ..."""
        if self.doc is None or not words:
            return []
        covered = [(r.start, r.end) for r in self.runs]
        found = []
        for token in self.doc:
            if normalise(token.text) not in words or not token.text[:1].isupper() or token.pos_ != "PROPN":
                continue
            if token.dep_ not in NAME_DEPS or (token.i > 0 and self.doc[token.i - 1].lower_ in PLACE_BEFORE):
                continue
            if any(s <= token.idx < e for s, e in covered) or self.finder._is_protected(token.idx, token.idx + len(token)):
                continue
            run = self.make_run(token.idx, token.idx + len(token.text), vocab)
            if run is not None:
                found.append(run)
        return found

    def word_surnames(self, vocab: set[str], spans: list[tuple[int, int]]) -> dict[str, list[tuple[int, int]]]:
        """Surnames that are also places or words ("Rachael Devon", "Dr Helen Chester"): the word right after
        a found name inside one PERSON entity. Its other uses count only where they read as a name: after a
        courtesy title or initials ("Mrs Devon", "C. Devon"); "Devon" alone stays."""
        if self.doc is None:
            return {}
        people = [(e.start_char, e.end_char) for e in self.doc.ents if e.label_ == "PERSON"]
        found: dict[str, list[tuple[int, int]]] = {}
        for start, end in spans:
            after = re.match(r" ([A-Z][a-z][\w'’\-]*)", self.text[end:end + 30])
            if after is None:
                continue
            word = normalise(re.sub(r"['’]s$", "", after.group(1)))
            w_end = end + 1 + len(after.group(1))
            if word in vocab or word in self.finder.titles or word in self.finder.org_words or \
                    word in self.relations or not any(s <= start and w_end <= e for s, e in people):
                continue
            found.setdefault(word, []).append((end + 1, end + 1 + len(re.sub(r"['’]s$", "", after.group(1)))))
        courtesy = "|".join(sorted(self.finder.courtesy_titles | self.finder.titles, key=len, reverse=True))
        for word in found:
            for start, end in self.finder.occurrences(word):
                before = self.text[max(0, start - 20):start]
                titled = re.search(rf"(?<![\w])(?:{courtesy})\.?\s+(?:[A-Z]\.\s?)*$", before, re.IGNORECASE) \
                    or re.search(r"(?<![\w.])(?:[A-Z]\.\s?){1,3}$", before)
                if titled and self.text[start].isupper():
                    found[word].append((start, end))
        return found

    def word_name_before(self, start: int, end: int, surnames: set[str]) -> int:
        """"Chloe and Hope Young", "Chester Lewis-Grant": a capitalised word (even one that is also a place or
        an ordinary word) right before a surname is that person's first name (else the sibling Hope Young would
        read as the child Maisie Young). Not after another capitalised word ("In Calderdale Smith ...")."""
        word = normalise(re.sub(r"['’]s$", "", self.text[start:end]))
        if word not in surnames:
            return start
        window = self.text[max(0, start - 30):start]
        match = re.search(r"(?<![\w'’\-])([A-Z][a-z]+|[A-Z]{2,}) $", window)
        if match is None:
            return start
        if re.search(r"[A-Z][\w'’\-]*\s+$", window[:match.start(1)]):
            return start
        candidate = match.group(1).casefold()
        from spacy.lang.en.stop_words import STOP_WORDS

        at = start - len(match.group(0))
        if (candidate in STOP_WORDS and self.pos.get(at) != "PROPN") or self.pos.get(at) in FUNCTION_POS or candidate in self.finder.titles or \
                candidate in self.finder.org_words or candidate in self.relations or \
                (match.group(1).isupper() and not self.text[start:end].isupper()):
            return start
        return at

    def make_run(self, start: int, end: int, vocab: set[str]) -> Run | None:
        words = [(start + m.start(), start + m.end(), m.group()) for m in WORD.finditer(self.text[start:end])]
        while words and (normalise(words[0][2]).rstrip(".") in self.finder.titles
                         or normalise(words[0][2]) in self.relations):
            words.pop(0)  # a title or relation the mention included: "Mrs Smith", "Auntie Jo"
        while words and normalise(words[-1][2]) in self.cues.adult_after:
            words.pop()  # "Marcus Hill HMI": the post-nominal is no name
            if words:
                last = words[-1]
                end = min(end, last[0] + len(re.sub(r"['’]s$", "", last[2])))
        if not words:
            return None
        tokens, initials = [], ""
        for word_start, word_end, word in words:
            folded = normalise(re.sub(r"['’]s?$", "", word) if len(word) > 2 else word)
            if is_initial(word):
                initials += folded[0]
            elif folded in vocab or any(part in vocab for part in folded.split("-")) or \
                    self.is_judged(word_start, word_end):
                tokens.append(folded)
        if not tokens:
            return None
        start = words[0][0]
        before = self.text[max(0, start - 12):start]
        lead = re.search(r"((?:[A-Z]\.\s?){1,3})$", before)  # "Mr M. Bell", "Ms K.D. Lennie"
        if lead and not any(s < start and start - len(lead.group(1)) < e for s, e in self.finder.protected):
            initials = "".join(c.casefold() for c in lead.group(1) if c.isalpha()) + initials
            start -= len(lead.group(1))
        run = Run(start, end, tuple(tokens), initials)
        title = re.search(r"(?<![\w.])([A-Za-z]+)\.?\s+$", self.text[max(0, start - 16):start])
        if title and title.group(1).casefold() in self.finder.titles:
            run.title = title.group(1).casefold()
            run.title_start = start - len(title.group(0))
        return run

    def is_judged(self, start: int, end: int) -> bool:
        at = bisect.bisect_right(self.judged, (start, len(self.text) + 1)) - 1
        return at >= 0 and self.judged[at][0] <= start and end <= self.judged[at][1]

    # -- relations stated in the text ---------------------------------------------------------------
    def relation_links(self) -> dict[int, tuple[Relation, int | None, int]]:
        """run index -> (relation, owner) for "her mother, NAME", "NAME, the GP", "Kerr's father, NAME"."""
        if self.doc is None:
            return {}
        from spacy.matcher import PhraseMatcher
        from spacy.util import filter_spans

        matcher = PhraseMatcher(self.doc.vocab, attr="NORM")
        matcher.add("REL", [relation_pattern(self.doc, phrase) for phrase in self.relations])
        spans = filter_spans([self.doc[s:e] for _, s, e in matcher(self.doc)])
        links: dict[int, tuple[Relation, int | None, int]] = {}
        starts = [r.start for r in self.runs]
        for span in spans:
            if any(r.start <= span.start_char < r.end for r in self.runs):
                continue  # "Sister" in "Sister Jones" is a title; "Hope" is no relation
            relation = self.relations.get(span.text.casefold().replace("’", "'"), None)
            if relation is None:
                continue
            owner = self.owner_of(span)
            # role before the name: "her mother, Kirsty Brannock", "Lead inspector: Rachel Whitmore"
            i = bisect.bisect_left(starts, span.end_char)
            if i < len(self.runs) and self.gap_before_name(span.end_char, self.runs[i].start):
                links.setdefault(i, (relation, owner, span.start_char))
                continue
            # name before the role: "Darren Lusk, the GP", "Mark Bell, Skye's father"
            j = bisect.bisect_right(starts, span.start_char) - 1
            while j >= 0 and self.runs[j].end > span.start_char:
                j -= 1
            if j >= 0:
                k = j
                while k > 0 and self.runs[k].start > self.runs[k - 1].end and \
                        self.runs[k].start < span.start_char and self._possessor_run(k, span.start_char):
                    k -= 1  # skip a possessor run inside the gap
                if self.gap_after_name(k, span.start_char) and k not in links:
                    links[k] = (relation, owner, span.start_char)
        return links

    def owner_of(self, span) -> int | None:
        """Whose relation: "her mother" -> the subject, "Ms Brannock's partner" -> that person's run."""
        k = span.start - 1
        while k >= 0 and self.doc[k].pos_ == "ADJ" and k > span.start - 3:
            k -= 1  # "Tyler's younger sister"
        if k < 0:
            return None
        token = self.doc[k]
        if token.norm_ == "'s" and k > 0:
            prev = self.doc[k - 1]
            for index, run in enumerate(self.runs):
                if run.start <= prev.idx < run.end:
                    return index
            if f"{prev.lower_}'s" in self.cues.subject_possessors or \
                    (k > 1 and f"{self.doc[k - 2].lower_} {prev.lower_}'s" in self.cues.subject_possessors):
                return SUBJECT
            return None
        if token.lower_ in ("her", "his"):
            return PRONOUN
        if token.lower_ in self.cues.subject_possessors:
            return SUBJECT
        return None

    def pronoun_owner(self, index: int, at: int) -> int | None:
        """Whose "her"/"his": the nearest person named before it in the sentence, if an adult with a stated
        relation (then "her mother" is that person's mother); otherwise the child's."""
        sentence = self.sentence_starts[bisect.bisect_right(self.sentence_starts, at) - 1]
        earlier = [i for i in range(len(self.runs)) if sentence <= self.runs[i].start and self.runs[i].end <= at
                   and i != index and self.runs[i].person >= 0]
        if not earlier:
            return SUBJECT
        holder = self.people[self.runs[earlier[-1]].person]
        if holder.relation is not None and holder.age == "adult":
            return earlier[-1]
        return SUBJECT

    def _possessor_run(self, k: int, limit: int) -> bool:
        run = self.runs[k]
        return bool(re.match(r"['’]s\s", self.text[run.end:limit + 1]))

    def gap_before_name(self, end: int, run_start: int) -> bool:
        gap = self.text[end:run_start]
        if len(gap) > 40 or "\n" in gap:
            return False
        rest = re.sub(r"[A-Za-z]+\.?", lambda m: "" if m.group().rstrip(".").casefold() in self.finder.titles
                      or m.group() == "as" else m.group(), gap)
        return re.fullmatch(r"\s*[,:(]?\s*[\"“‘']?\s*", rest) is not None

    def gap_after_name(self, k: int, rel_start: int) -> bool:
        run = self.runs[k]
        gap = self.text[run.end:rel_start]
        if len(gap) > 50 or "\n" in gap:
            return False
        for other in self.runs[k + 1:]:
            if other.start >= rel_start:
                break
            gap = gap.replace(self.text[other.start:other.end], "X", 1)
        if re.fullmatch(DECLARED_AFTER, gap):
            return True  # 'In this report "Mr Hope" means the father', "Mrs Reid [refers] to the grandmother"
        match = re.fullmatch(r"(?:['’]s)?\s*[,(]\s*(?:(?:the|her|his|their|its|a|an)\s+)?"
                             r"(?:(?:X|[a-z]+)['’]s\s+)?(?P<adj>(?:[a-z\-]+\s+){0,2})", gap)
        if match is None:
            return False
        at = run.end + match.start("adj")
        for word in re.finditer(r"[a-z\-]+", match.group("adj")):
            if self.pos.get(at + word.start()) != "ADJ":
                return False
        return True

    # -- resolving ----------------------------------------------------------------------------------
    def resolve(self) -> People:
        self.build_runs()
        links = self.relation_links()
        for index, run in enumerate(self.runs):
            if len(run.tokens) > 1:
                self.assign(index, self.find_full(run))
        self.mark_children()
        declared: dict[tuple[str, str, str], int] = {}
        for index, run in enumerate(self.runs):  # reading order: what a relation's "her" means is known
            if len(run.tokens) > 1:
                if index in links:
                    self.give_relation(index, *links[index])
                continue
            signature = (run.title, run.initials, run.tokens[0])
            link = links.get(index)
            person = self.by_relation(run, link) if link else None
            declared_now = person is not None and (bool(run.title) or bool(run.initials))
            if person is None:
                person = self.by_declaration(index)
                declared_now = person is not None
            if person is None and signature in declared and (run.title or run.initials):
                person = declared[signature]
            if person is None:
                person = self.find_single(index)
            self.assign(index, person)
            if declared_now:
                declared[signature] = self.runs[index].person
            if link:
                self.give_relation(index, *link)
        self.join_declared_same()
        self.mark_children()
        return People(self.runs, self.people)

    def join_declared_same(self) -> None:
        """"The review was told that Stu and Mr Cairnie are the same person": one person from then on."""
        pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in self.cues.same_person) + r")\b",
                             re.IGNORECASE)
        ends = [*self.sentence_starts[1:], len(self.text)]
        for start, end in zip(self.sentence_starts, ends, strict=True):
            if not pattern.search(self.text, start, end):
                continue
            named = list(dict.fromkeys(r.person for r in self.runs if start <= r.start < end and r.person >= 0
                                       and not re.match(r"['’]s\b", self.text[r.end:r.end + 2])))  # not "Kerr's"
            if len(named) == 2:
                keep, gone = sorted(named)
                self.merge(keep, gone)

    def merge(self, keep: int, gone: int) -> None:
        a, b = self.people[keep], self.people[gone]
        for index in b.runs:
            self.runs[index].person = keep
        a.runs = sorted(a.runs + b.runs)
        a.given |= b.given
        a.surnames |= b.surnames
        a.tokens |= b.tokens
        a.full_names += [f for f in b.full_names if f not in a.full_names]
        a.initials |= b.initials
        a.gender, a.age = a.gender or b.gender, a.age or b.age
        if a.relation is None:
            a.relation, a.owner = b.relation, b.owner
        self.people[gone] = Individual()  # empty: no run points at it any more

    def assign(self, index: int, person: int | None) -> None:
        run = self.runs[index]
        if person is None:
            self.people.append(Individual())
            person = len(self.people) - 1
        p = self.people[person]
        run.person = person
        p.runs.append(index)
        p.tokens |= expand_hyphens(run.tokens)
        if len(run.tokens) > 1:
            if run.tokens not in p.full_names:
                p.full_names.append(run.tokens)
            p.given.add(run.tokens[0])
            p.surnames.add(run.tokens[-1])
        elif not (p.given & set(run.tokens)) and not (p.surnames & set(run.tokens)):
            token = run.tokens[0]
            if run.title or run.initials or token not in self.first_names:
                p.surnames.add(token)
            else:
                p.given.add(token)
        if run.initials:
            p.initials.add(run.initials[0])
        gender, adult = self.title_cues(run)
        if gender and not p.gender:
            p.gender = gender
        if adult and not p.age:
            p.age = "adult"

    def title_cues(self, run: Run) -> tuple[str, bool]:
        title = run.title
        if not title:
            return "", False
        gender = "f" if title in self.cues.female_titles else "m" if title in self.cues.male_titles else ""
        return gender, title not in self.cues.child_titles

    def give_relation(self, index: int, relation: Relation, owner: int | None, at: int = -1) -> None:
        """Give the run's person the relation; "her mother" after "His mother, May Ellison, ... lived with"
        is May's mother, and "mother's mother" is the child's maternal grandmother (relations.txt)."""
        if owner == PRONOUN:  # "her mother's partner" is the child's already
            owner = SUBJECT if "'s" in relation.phrase else self.pronoun_owner(index, at)
        if owner is not None and owner >= 0:
            holder = self.people[self.runs[owner].person]
            if holder.relation is not None and holder.owner in (None, SUBJECT):
                composed = self.relations.get(f"{holder.relation.label.casefold()}'s {relation.phrase.casefold()}")
                if composed is not None:
                    relation, owner = composed, SUBJECT
        p = self.people[self.runs[index].person]
        if p.relation is None:
            p.relation, p.owner = relation, owner
        if relation.gender and not p.gender:
            p.gender = relation.gender
        if relation.age and not p.age:
            p.age = relation.age

    def find_full(self, run: Run) -> int | None:
        tokens = run.tokens
        keys = expand_hyphens(tokens)
        for index, person in enumerate(self.people):
            for full in person.full_names:
                other = expand_hyphens(full)
                same = keys <= other or other <= keys or (tokens[0] == full[0] and tokens[-1] == full[-1])
                short = tokens[-1] == full[-1] and (
                    tokens[0] in {normalise(n) for n in self.nicknames.get(full[0], [])}
                    or full[0] in {normalise(n) for n in self.nicknames.get(tokens[0], [])})
                if (same or short) and self.fits(run, person):
                    return index
        return None

    def fits(self, run: Run, person: Individual) -> bool:
        gender, adult = self.title_cues(run)
        if gender and person.gender and gender != person.gender:
            return False
        if adult and person.age == "child":
            return False
        if run.initials:
            firsts = {g[0] for g in person.given} | person.initials
            if firsts and run.initials[0] not in firsts:
                return False
        return True

    def nearest(self, index: int, candidates: list[int]) -> int | None:
        """The candidate mentioned last before this run; failing that, the one mentioned first after it."""
        if not candidates:
            return None
        start = self.runs[index].start

        def key(person: int) -> tuple[int, int]:
            before = [self.runs[r].start for r in self.people[person].runs if self.runs[r].start < start]
            if before:
                return (1, max(before))
            after = [self.runs[r].start for r in self.people[person].runs]
            return (0, -min(after, default=len(self.text)))

        return max(candidates, key=key)

    def find_single(self, index: int) -> int | None:
        run = self.runs[index]
        token = run.tokens[0]
        fitting = [i for i, p in enumerate(self.people) if self.fits(run, p)]
        shorts = {normalise(n) for n in self.nicknames.get(token, [])}
        given = [i for i in fitting if token in self.people[i].given or shorts & self.people[i].given]
        surname = [i for i in fitting if token in self.people[i].surnames]
        parts = [i for i in fitting if token in self.people[i].tokens]
        for group in ([surname, given] if run.title else [given, surname]) + [parts]:
            if group:
                return self.nearest(index, self.best_known(run, group))
        return None

    def best_known(self, run: Run, group: list[int]) -> list[int]:
        """"Ms Hamilton" with a mother and a sister of unknown age: the one known to be an adult woman."""
        gender, adult = self.title_cues(run)
        if not adult:
            return group
        def known(i: int) -> int:
            p = self.people[i]
            return (p.age == "adult") + (bool(gender) and p.gender == gender)
        top = max(known(i) for i in group)
        return [i for i in group if known(i) == top]

    def by_relation(self, run: Run, link: tuple[Relation, int | None, int]) -> int | None:
        """"the father as J. Smith", "Auntie Jo": the person already holding that relation, if the name fits."""
        relation = link[0]
        token = run.tokens[0]
        for index, person in enumerate(self.people):
            if person.relation is None or person.relation.base != relation.base or not self.fits(run, person):
                continue
            if token in person.tokens or any(g.startswith(token) for g in person.given):
                return index
        return None

    def by_declaration(self, index: int) -> int | None:
        """"refers to Mark Bell as Mr M. Bell", "recorded as 'J. Smith'", "in health records as Scotty"."""
        run = self.runs[index]
        lead = run.title_start if run.title_start >= 0 else run.start
        sentence = self.sentence_starts[bisect.bisect_right(self.sentence_starts, lead) - 1]
        before = self.text[sentence:lead]
        cue = re.search(r"\b(?:as|calls|called|nicknamed)\s*[\"“‘']?\s*$", before)
        if cue is None:
            return None
        window = re.findall(r"[a-z]+", before[max(0, cue.start() - 40):cue.start()].casefold())
        bracketed = before[:cue.start()].rstrip().endswith(("(", "["))  # "Jayden (called "JJ" by his friends)"
        if not set(window) & self.cues.declaration_words and not bracketed:
            return None
        cue_at = sentence + cue.start()
        earlier = [i for i in range(index) if sentence <= self.runs[i].start and self.runs[i].end <= cue_at]
        if not earlier:
            return None
        if cue.group().split()[0] in ("calls", "called") and not self.text[self.runs[earlier[-1]].end:cue_at].strip():
            return None  # "whom Maisie called Stu": Maisie is the one calling
        person = self.runs[earlier[-1]].person
        if person < 0:
            return None
        if not self.fits(run, self.people[person]) and not run.initials:
            return None
        self.people[person].given.add(run.tokens[0]) if not (run.title or run.initials) else None
        return person

    def mark_children(self) -> None:
        """A name followed by "aged 3" / "(aged six)" is a child's: no "Ms"/"Mr" mention joins that person."""
        for run in self.runs:
            if run.person < 0:
                continue
            after = self.text[run.end:run.end + 60]
            match = self.cues.child_age.search(after)
            years = stated_years(match.group()) if match else None
            if match and (years is None or years < 16):
                self.people[run.person].age = "child"
            elif match and years is not None and years < 18 and self.people[run.person].age != "child":
                self.people[run.person].age = "young"  # a 17-year-old mother is "Ms Sandison" too
            word = re.match(r"\s+([A-Z]{2,4})\b", after)
            if word and word.group(1).casefold() in self.cues.adult_after and not self.people[run.person].age:
                self.people[run.person].age = "adult"
        subject = cued_run(self.text, self.runs)
        if subject is not None and self.runs[subject].person >= 0:
            self.people[self.runs[subject].person].age = "child"


NUMBER_WORDS = {w: n for n, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
                                            "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen",
                                            "sixteen", "seventeen"])}


def stated_years(age_text: str) -> int | None:
    """The age in years an "aged 17" / "six years old" cue states; None for weeks or months (a baby)."""
    if re.search(r"\b(?:weeks?|months?)\b", age_text, re.IGNORECASE):
        return None
    for word in re.findall(r"\d+|[a-z]+", age_text.casefold()):
        if word.isdigit():
            return int(word)
        if word in NUMBER_WORDS and word != "zero":
            return NUMBER_WORDS[word]
    return None


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("en").tokenizer  # the model's own tokenizer rules: "step-father" -> step - father


def relation_pattern(doc, phrase: str):
    """A phrase as a Doc on the text's vocabulary, tokenised the way the text is."""
    from spacy.tokens import Doc

    return Doc(doc.vocab, words=[t.text for t in _tokenizer()(phrase)])


@lru_cache(maxsize=1)
def subject_cue_pattern() -> re.Pattern:
    cues = _lines(RESOURCES_DIR / "redaction" / "subject_cues.txt")
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(c) for c in cues) + r")\s+", re.IGNORECASE)


def cued_run(text: str, runs: list[Run]) -> int | None:
    """The run named straight after "this review concerns" / "the death of", if the text says so."""
    starts = [(r.title_start if r.title_start >= 0 else r.start) for r in runs]
    for match in subject_cue_pattern().finditer(text):
        i = bisect.bisect_left(starts, match.end())
        if i < len(runs) and re.fullmatch(r"\s?(?:[A-Z][a-z]{1,5}\.?\s+)?", text[match.end():starts[i]]):
            return i  # "concerns Kayden", "concerns Baby Hope"
    return None


def choose_subject(people: People, text: str) -> int | None:
    """The child the review is about: named after a subject cue, else the most-mentioned child.

    A child is someone the text gives an age ("aged 3") or whose mother/father/... it names ("Skye's father");
    failing both, the most-mentioned person that no title ("Ms") or adult role ("the GP") marks as an adult,
    if mentioned at least twice and more than anyone else.
    Nobody is chosen when the text already calls someone "Child A": the subject is pseudonymised already.
    """
    cued = cued_run(text, people.runs)
    if cued is not None and people.runs[cued].person >= 0:
        return people.runs[cued].person
    counts = Counter(r.person for r in people.runs if r.person >= 0)
    children = {i for i, p in enumerate(people.people) if p.age in ("child", "young")}
    for p in people.people:
        if p.owner is not None and p.owner >= 0 and p.relation is not None and p.relation.age == "adult":
            owner = people.runs[p.owner].person
            if owner >= 0 and people.people[owner].age != "adult":
                children.add(owner)
    first = {i: min(people.runs[r].start for r in p.runs) for i, p in enumerate(people.people) if p.runs}
    if children:
        return max(children, key=lambda i: (counts[i], -first.get(i, 0)))
    # no age or relation said: the most-mentioned person nothing marks as an adult, if clearly the most
    others = sorted((counts[i] for i, p in enumerate(people.people) if p.age != "adult"), reverse=True)
    if not others or others[0] < 2 or (len(others) > 1 and others[1] == others[0]):
        return None
    return max((i for i, p in enumerate(people.people) if p.age != "adult"), key=lambda i: counts[i])
