"""Person names: clean NER/rule mentions, group them into people, and find every other mention.

Why propagation: NER misses many later mentions ("Madeleine’s", "MADELEINE", a first name alone at the
start of a sentence). Once a person's name is known anywhere in a document, each of its tokens is searched
for in the whole text, so recall does not depend on NER seeing every mention.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from casereview.redact.lists import RedactionLists

# a word (letters, apostrophes, hyphens; not glued to digits), or an initial "A."
WORD = re.compile(r"(?<!\w)(?:[^\W\d_](?:[\w'’\-]*[^\W\d_])?(?![\w])|[^\W\d_]\.)")
# Gaelic and Irish surname shapes are names wherever they stand: MacLeod, McLoughlin, O'Neill, NicLeòid
GAELIC_SURNAME = re.compile(r"(?:Mc|Mac|O['’]|Fitz|Nic|Ní|Ó)[A-ZÀ-Þ][\w'’\-]+")
CAPITALISED = re.compile(r"(?:Mc|Mac|O['’]|D['’]|Fitz|Nic|Ní|Ó|Ua)?[A-ZÀ-ÖØ-Þ]")
WEB_ADDRESS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
# "(Frankie)", "('JJ')", "(called "JJ" by his friends)", "(known as Danny)"
BRACKETED_ALIAS = re.compile(r"\s*[(\[]\s*(?:(?:also\s+)?(?:known\s+as|called|nicknamed|aka)\s+)?['\"‘“]?"
                             r"(?P<alias>[A-Z][\w'’\-]+)['\"’”]?(?:\s+[a-z][a-z ]{0,40})?\s*[)\]]")
FUNCTION_POS = {"ADV", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "AUX", "PART", "INTJ"}
POSSESSIVE = re.compile(r"['’][sS]?$")  # "Kerr's", "KERR'S"


@dataclass
class Mention:
    start: int
    end: int
    tokens: list[str]  # name tokens (no titles), as written
    initials: str = ""  # "A" for "Dr A. Jones": tells Jones apart from Mary Jones


@dataclass
class Person:
    tokens: set[str] = field(default_factory=set)  # folded name tokens
    full_names: list[tuple[str, ...]] = field(default_factory=list)
    aliases: set[str] = field(default_factory=set)  # short or formal forms of its names
    mentions: int = 0


def normalise(word: str) -> str:
    return word.casefold().replace("’", "'")


def expand_hyphens(tokens) -> set[str]:
    """"molly-ann" also stands for "molly" and "ann" ("Molly-Ann Sergeant" is "Molly Ann Sergeant")."""
    keys = set(tokens)
    for token in tokens:
        keys.update(part for part in re.split(r"-", token) if len(part) > 1)
    return keys


def initials_fit(initials: str, person: Person) -> bool:
    """"A. Jones" can be Alan Jones but not Mary Jones (people known only by a surname fit anyone)."""
    if not initials or not person.full_names:
        return True
    return any(full[0][0] == initials[0] for full in person.full_names)


def is_capitalised(word: str) -> bool:
    return bool(CAPITALISED.match(word))


def is_initial(word: str) -> bool:
    return len(word.rstrip(".")) == 1


class NameFinder:
    """Everything about names that depends on the lists and on one document's text."""

    def __init__(self, text: str, lists: RedactionLists, protected: list[tuple[int, int]]):
        self.text = text
        self.lists = lists
        self.allow = lists.allow_tokens()
        self.titles = lists.folded("titles") | lists.folded("role_titles")
        self.courtesy_titles = lists.folded("titles")
        self.org_words = lists.folded("org_words")
        self.places = lists.folded("places")
        self.protected = sorted(protected)
        self._protected_starts = [p[0] for p in self.protected]
        self._longest_protected = max((e - s for s, e in self.protected), default=0)
        self._lowercase_words: set[str] | None = None
        self._index: dict[str, list[tuple[int, int, str]]] | None = None
        self._pos: dict[int, str] = {}

    # -- cleaning one mention ------------------------------------------------------------------------
    def clean(self, start: int, end: int, titled: bool = False) -> Mention | None:
        """Trim a detected span to its name tokens; None when it is not a person's name.

        titled: the span came from the title rule, so a leading title belongs to the redaction
        ("Mr Wong" is redacted whole: the title tells which person is meant).
        """
        words = [(m.start() + start, m.end() + start, m.group()) for m in WORD.finditer(self.text[start:end])]
        words = self._one_sentence(words)
        if not words:
            return None
        folded = [w.casefold().rstrip(".") for _, _, w in words]
        if any(f in self.org_words for f in folded):
            return None  # "Ipswich Hospital", "Bradford Council": organisations and places stay
        phrase = " ".join(folded)
        if phrase in self.places or phrase in self.lists.folded("public_bodies"):
            return None
        lead = 0
        while lead < len(words) and folded[lead] in self.titles:
            lead += 1
        courtesy = 0  # "Mrs" in "Mrs Smith" is redacted with the name; "Coroner" in "Coroner Smith" stays
        while courtesy < lead and folded[lead - 1 - courtesy] in self.courtesy_titles:
            courtesy += 1
        name_words = [w for w in words[lead:]]
        while name_words and not self._name_like(name_words[-1][2]):
            name_words.pop()
        while name_words and (not self._name_like(name_words[0][2]) or self._function_word(*name_words[0][::2])):
            name_words.pop(0)
        tokens = [POSSESSIVE.sub("", w) for _, _, w in name_words if not is_initial(w)]
        tokens = [t for t in tokens if t.casefold() not in self.allow and len(t) > 1]
        if not tokens:
            return None
        first = words[lead - courtesy] if (titled and courtesy) else name_words[0]
        last_word = name_words[-1]
        last_end = last_word[0] + len(POSSESSIVE.sub("", last_word[2])) if not is_initial(last_word[2]) \
            else last_word[1]
        initials = "".join(w[0].casefold() for _, _, w in name_words if is_initial(w))
        return Mention(first[0], last_end, tokens, initials)

    def _one_sentence(self, words: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """A name does not run over a sentence end ("... SHOULD BE TAKEN. Signed M. Hope-Lyle"): of the
        pieces a full stop after a word (not an initial, not "Dr.") cuts the span into, keep the most
        name-like, the last on a tie."""
        pieces: list[list[tuple[int, int, str]]] = [[]]
        for word in words:
            pieces[-1].append(word)
            _, end, text = word
            if not is_initial(text) and text.casefold().rstrip(".") not in self.titles \
                    and re.match(r"[.!?]\s", self.text[end:end + 2]):
                pieces.append([])
        pieces = [p for p in pieces if p]
        if len(pieces) <= 1:
            return words

        def weight(piece: list[tuple[int, int, str]]) -> float:
            return sum(0.5 if is_initial(w) else 1.0 for _, _, w in piece if self._name_like(w))

        return max(reversed(pieces), key=weight)

    def use_parse(self, doc) -> None:
        """Let cleaning see spaCy's part-of-speech tags (character offset -> tag)."""
        self._pos = {token.idx: token.pos_ for token in doc} if doc is not None else {}

    def _function_word(self, start: int, word: str) -> bool:
        """A sentence's capitalised first word that is an adverb or connective: "Later Aoife's mother".

        Upper-case words and known first names are left alone: tags are unreliable for them.
        """
        if word.isupper() or word.casefold() in self.lists.first_names():
            return False
        at_sentence_start = start == 0 or re.search(r"(?:[.!?:]\s+|\n\s*)$", self.text[max(0, start - 4):start])
        return bool(at_sentence_start) and self._pos.get(start) in FUNCTION_POS

    def _name_like(self, word: str) -> bool:
        if word.isupper() and len(word) > 1 and self._ordinary_word(word):
            return False  # in upper-case text case says nothing: "OISIN OYELARAN WAS SEEN"
        return is_capitalised(word) and word.casefold().rstrip(".") not in self.allow

    def _ordinary_word(self, word: str) -> bool:
        from spacy.lang.en.stop_words import STOP_WORDS

        return self._used_lowercase(word) or word.casefold() in STOP_WORDS

    def lowercase_person(self, start: int, end: int) -> Mention | None:
        """NER's PERSON in lower-case text ("jason euell", "daniel"): kept when it cannot be ordinary words.

        Several words none of which is a stop word, or one word that is a known first name.
        """
        from spacy.lang.en.stop_words import STOP_WORDS

        words = [m.group() for m in WORD.finditer(self.text[start:end])]
        if not words or not all(w.islower() and len(w) > 1 for w in words):
            return None
        folded = [w.casefold() for w in words]
        if any(f in STOP_WORDS or f in self.allow for f in folded):
            return None
        if len(words) == 1 and folded[0] not in self.lists.first_names():
            return None
        return Mention(start, end, words)

    # -- which NER mentions to trust ----------------------------------------------------------------
    def plausible(self, mention: Mention, entity_votes: dict[str, Counter]) -> bool:
        """Drop NER's usual slips: common nouns ("Bed", "Asthma"), acronyms, and place names.

        A lone word is kept unless the document also uses it in lower case, it is an upper-case acronym,
        or spaCy tags it as a place or organisation more often than as a person elsewhere in the text.
        Multi-word mentions are dropped only when every word is such a common word.
        """
        folded = [t.casefold() for t in mention.tokens]
        common = [self._used_lowercase(t) or len(t) <= 2 for t in folded]
        if all(common):
            return False
        if len(folded) > 1:
            return True
        token = mention.tokens[0]
        if token.isupper() and token.casefold() not in self.lists.first_names():
            return False
        votes = entity_votes.get(folded[0], Counter())
        return votes["PERSON"] >= votes["OTHER"]

    # -- more mentions from the lists ----------------------------------------------------------------
    def gazetteer_mentions(self) -> list[Mention]:
        """Capitalised known first names (and a following capitalised surname), and ALL-CAPS full names."""
        first_names = self.lists.first_names()
        words = list(WORD.finditer(self.text))
        found = []
        for i, match in enumerate(words):
            word = match.group()
            if GAELIC_SURNAME.fullmatch(word):
                found += self._surname_mention(words, i)
                continue
            if word.casefold() not in first_names or not is_capitalised(word):
                continue
            if word.isupper() and len(word) > 1 and not self._caps_run(words, i):
                continue  # a lone capitalised acronym is not a name
            end = match.end()
            j = i + 1
            while j < len(words) and j <= i + 3 and (self._continues_name(words[j - 1], words[j])
                                                     or self._continues_through(words, j)):
                end = words[j].end()
                j += 1
            mention = self.clean(match.start(), end)
            if mention and not (len(mention.tokens) == 1 and self._used_lowercase(mention.tokens[0])):
                found.append(mention)  # a lone "Rose" in a text that says "rose" is not taken as a name
        return found

    def _surname_mention(self, words, i) -> list[Mention]:
        """A Gaelic-shaped surname with up to two capitalised given names right before it."""
        start = i
        while start > 0 and start > i - 3 and self._continues_name(words[start - 1], words[start]) \
                and self._name_like(words[start - 1].group()):
            start -= 1
        mention = self.clean(words[start].start(), words[i].end())
        return [mention] if mention else []

    def _caps_run(self, words, i) -> bool:
        """An upper-case first name counts only beside another upper-case word: "SAMANTHA JANE GOULD"."""
        neighbours = [words[k] for k in (i - 1, i + 1) if 0 <= k < len(words)]
        return any(n.group().isupper() and len(n.group()) > 1 and self._adjacent(a, b)
                   for n in neighbours for a, b in [sorted((n, words[i]), key=lambda m: m.start())])

    def _adjacent(self, a, b) -> bool:
        return self.text[a.end():b.start()] in (" ", "-")

    def _continues_name(self, previous, word) -> bool:
        return self._adjacent(previous, word) and self._name_like(word.group())

    def _continues_through(self, words, j) -> bool:
        """A capitalised keep-word inside a name ("Lily May Girton") when a name-like word follows it."""
        return (j + 1 < len(words) and self._adjacent(words[j - 1], words[j])
                and is_capitalised(words[j].group()) and self._continues_name(words[j], words[j + 1]))

    def echoed_names(self, entities) -> list[Mention]:
        """A two- or three-word name NER took for something else, whose first word recurs on its own.

        "Tamsin Lindqvist ... Tamsin was unwell": people are referred to by first name alone; organisations
        and places (whose words are on the lists) are not referred to by their first word.
        """
        found = []
        for ent in entities:
            if ent.label_ == "PERSON" or not 2 <= len(ent) <= 3:
                continue
            words = [t.text for t in ent]
            if not all(is_capitalised(w) and w.isalpha() and self._name_like(w) for w in words):
                continue
            if any(w.casefold() in self.org_words or self._used_lowercase(w) for w in words):
                continue
            if self._recurs_alone(words[0], ent.start_char, ent.end_char):
                mention = self.clean(ent.start_char, ent.end_char)
                if mention:
                    found.append(mention)
        return found

    def _recurs_alone(self, word: str, start: int, end: int) -> bool:
        """The word appears elsewhere on its own: followed by a lower-case word or punctuation."""
        pattern = rf"(?<![\w'’\-]){re.escape(word)}(?:['’]s)?(?= [a-z]|[,.;:])"
        return any(not (start <= m.start() < end) for m in re.finditer(pattern, self.text))

    def neighbour_mentions(self, people: list[Person]) -> list[Mention]:
        """A capitalised unknown word right before a known surname, or right after a known first name.

        "Tyrese Oyelaran" when only "Oisin Oyelaran" was detected: Tyrese is a relative, not to be left.
        """
        firsts = {full[0] for p in people for full in p.full_names}
        lasts = {full[-1] for p in people for full in p.full_names}
        words = list(WORD.finditer(self.text))
        found = []
        for i in range(len(words) - 1):
            left, right = words[i], words[i + 1]
            if not self._adjacent(left, right):
                continue
            l_word, r_word = left.group().casefold(), POSSESSIVE.sub("", right.group()).casefold()
            if (r_word in lasts and l_word not in firsts and self._unknown_name_word(left.group())) or (
                    l_word in firsts and r_word not in lasts and self._unknown_name_word(right.group())):
                mention = self.clean(left.start(), right.end())
                if mention and len(mention.tokens) == 2 and not self._is_protected(left.start(), right.end()):
                    found.append(mention)
        return found

    def _unknown_name_word(self, word: str) -> bool:
        return (self._name_like(word) and not self._ordinary_word(word) and not is_initial(word)
                and word.casefold() not in self.org_words)

    def bracketed_aliases(self, mentions: list[Mention]) -> list[Mention]:
        """A name in brackets or quotes right after a person's name is that person's other name.

        The alias is returned as a mention carrying the full name's tokens too, so it joins that person.
        """
        found = []
        for mention in mentions:
            match = BRACKETED_ALIAS.match(self.text, mention.end)
            if match and self._name_like(match.group("alias")):
                start = match.start("alias")
                found.append(Mention(start, match.end("alias"), [*mention.tokens, match.group("alias")]))
        return found

    def recurring_subjects(self, doc) -> list[Mention]:
        """Unlisted proper nouns that keep acting as a person does: subject of a verb or possessor.

        A word spaCy parses as a proper noun, never written in lower case, not on any list, that is the
        subject or possessor at least twice (not after "the") is taken to be someone's name, even where
        NER never tagged it: reports refer to the child by a first name alone, over and over.
        """
        roles: Counter = Counter()
        where: dict[str, list] = {}
        for token in doc:
            word = token.text
            if token.pos_ != "PROPN" or not is_capitalised(word) or word.isupper() or len(word) < 3:
                continue
            if word.casefold() in self.allow or self._used_lowercase(word) or not word.isalpha():
                continue
            if token.i > 0 and doc[token.i - 1].lower_ in ("the", "a", "an"):
                continue
            if token.dep_ in ("nsubj", "nsubjpass", "poss") and not self._is_protected(token.idx, token.idx + len(word)):
                roles[word] += 1
                where.setdefault(word, []).append(token)
        found = []
        for word, count in roles.items():
            if count >= 2:
                token = where[word][0]
                found.append(Mention(token.idx, token.idx + len(word), [word]))
        return found

    def deny_mentions(self) -> list[Mention]:
        mentions = []
        for name in self.lists.get("deny_names"):
            for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", self.text, re.IGNORECASE):
                mentions.append(Mention(match.start(), match.end(), name.split()))
        return mentions

    # -- grouping into people --------------------------------------------------------------------------
    def group(self, mentions: list[Mention]) -> tuple[list[Person], list[int]]:
        """People from mentions: multi-word names first, then single words join the person they belong to.

        Two full names are one person when one's tokens are a subset of the other's, or they share both
        the first and the last token (middle names differ). A lone word (or a known short form of a name,
        "Frankie" for Frances) goes to the most-mentioned person with that token; siblings who share a
        surname stay apart because their full names differ.
        """
        nicknames = self.lists.nickname_map()
        people: list[Person] = []
        owner: list[int] = [-1] * len(mentions)
        order = sorted(range(len(mentions)), key=lambda i: -len(mentions[i].tokens))
        for i in order:
            tokens = tuple(t.casefold() for t in mentions[i].tokens)
            keys = expand_hyphens(tokens)
            index = self._find_person(people, tokens, keys, mentions[i].initials)
            if index is None:
                people.append(Person())
                index = len(people) - 1
            person = people[index]
            if len(tokens) > 1 and tokens not in person.full_names:
                person.full_names.append(tokens)
            person.tokens.update(keys)
            person.aliases.update(n.casefold() for k in keys for n in nicknames.get(k, []))
            person.mentions += 1
            owner[i] = index
        return people, owner

    def _find_person(self, people: list[Person], tokens: tuple[str, ...], keys: set[str],
                     initials: str = "") -> int | None:
        if len(tokens) > 1:
            for index, person in enumerate(people):
                for full in person.full_names:
                    if keys <= expand_hyphens(full) or expand_hyphens(full) <= keys or (
                            tokens[0] == full[0] and tokens[-1] == full[-1]):
                        return index
        candidates = [i for i, p in enumerate(people) if keys & (p.tokens | p.aliases)
                      and initials_fit(initials, p)]
        if not candidates:
            return None
        return max(candidates, key=lambda i: people[i].mentions)

    # -- propagation ---------------------------------------------------------------------------------
    def add_nicknames(self, people: list[Person]) -> None:
        """A person called Rebecca is also the "Becky" of the same report (and Becky's formal name)."""
        for person in people:
            for alias in person.aliases - person.tokens:
                if alias not in self.allow and self.occurrences(alias):
                    person.tokens.add(alias)

    def occurrences(self, token: str) -> list[tuple[int, int]]:
        """Every mention of a name token outside protected phrases, as a whole word (possessive apart).

        Case-insensitive, except for tokens the document also uses as ordinary lower-case words
        ("Rose", "Long", "Hardy"): then only capitalised or upper-case occurrences count.
        """
        key = normalise(token)
        capitals_only = self._used_lowercase(token)
        return [(start, end) for start, end, word in self._word_index().get(key, [])
                if not (capitals_only and not is_capitalised(word)) and not self._is_protected(start, end)]

    def _word_index(self) -> dict[str, list[tuple[int, int, str]]]:
        """Every word of the text by its folded form, possessive "'s" cut off: one pass, then lookups."""
        if self._index is None:
            self._index = {}
            for match in WORD.finditer(self.text):
                word = POSSESSIVE.sub("", match.group()) if len(match.group()) > 2 else match.group()
                self._index.setdefault(normalise(word), []).append(
                    (match.start(), match.start() + len(word), word))
        return self._index

    def _used_lowercase(self, token: str) -> bool:
        if self._lowercase_words is None:
            prose = WEB_ADDRESS.sub(" ", self.text)  # "aoife.macleod@..." is no lower-case use of "aoife"
            self._lowercase_words = {w for w in WORD.findall(prose) if w.islower()}
        return token.casefold() in self._lowercase_words

    def _is_protected(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._protected_starts, start) - 1
        # protected spans may nest (a body inside a longer one): look back over those starting before
        while i >= 0:
            p_start, p_end = self.protected[i]
            if end <= p_end:
                return True
            if start - p_start > self._longest_protected:
                break
            i -= 1
        return False


def propagate(finder: NameFinder, people: list[Person]) -> list[tuple[int, int, int]]:
    """(start, end, person) for every occurrence of every person's name tokens.

    A token shared by two people (a surname) goes to the person mentioned most.
    """
    token_owner: dict[str, int] = {}
    for index in sorted(range(len(people)), key=lambda i: people[i].mentions):
        for token in people[index].tokens:
            token_owner[token] = index
    spans: list[tuple[int, int, int]] = []
    for token, index in token_owner.items():
        if len(token) < 2 or token in finder.allow:
            continue
        spans.extend((s, e, index) for s, e in finder.occurrences(token))
    return spans


def mention_counts(spans: list[tuple[int, int, int]]) -> Counter:
    return Counter(index for _, _, index in spans)
