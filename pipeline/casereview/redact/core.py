"""redact_text / redact_document: detect, group people, replace, remap offsets, check for leaks."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from casereview.config import RedactConfig, load_config
from casereview.contracts import Document, Redaction
from casereview.redact.lists import RedactionLists, load_lists
from casereview.redact.name_or_word import name_uses
from casereview.redact.names import Mention, NameFinder
from casereview.redact.persons import People, PersonResolver, choose_subject, cued_run, existing_label_spans
from casereview.redact.recognizers.base import LINE_CONTINUATION, split_at_line_breaks
from casereview.redact.spans import OffsetMap, Span, merge_overlapping

log = logging.getLogger(__name__)

# presidio entity -> our label; the replacement text for each label comes from params (replacements).
ENTITY_LABELS = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "UK_NHS": "NHS_NUMBER",
    "UK_CHI": "CHI_NUMBER",
    "UK_NINO": "NI_NUMBER",
    "UK_POSTCODE": "POSTCODE",
    "STREET_ADDRESS": "ADDRESS",
    "PHONE_NUMBER": "PHONE",
    "DATE_OF_BIRTH": "DATE_OF_BIRTH",
}

TRUSTED_NAME_RULES = {"TitledNameRecognizer", "CuedNameRecognizer", LINE_CONTINUATION}  # no NER plausibility filter
PLACE_OR_ORG = {"GPE", "LOC", "FAC", "ORG", "NORP"}

ROLE_DETERMINERS = {"the", "a", "an", "her", "his", "their", "its", "our", "your", "my"}


class LeakError(RuntimeError):
    """Redacted output still contains a detected name. The message never contains the name."""


@dataclass
class RedactedText:
    text: str
    redactions: list[Redaction] = field(default_factory=list)


@dataclass
class Plan:
    """What to replace in one text, and the name tokens the leak check looks for afterwards."""

    spans: list[Span]
    replacements: list[str]
    leak_tokens: set[str]
    finder: NameFinder


# -- detection ----------------------------------------------------------------------------------------


def protected_spans(text: str, lists: RedactionLists) -> list[tuple[int, int]]:
    """Public bodies, councils, organisations, conditions, legislation (any case) and role titles (as written
    in the list): never searched into. Single words that are also names are left to name_or_word."""
    spans = phrase_spans(text, lists.protected_phrases(), re.IGNORECASE)
    spans += phrase_spans(text, lists.get("roles"), 0)  # "the sergeant" stays; "Molly Sergeant" does not
    return sorted(spans)


def phrase_spans(text: str, phrases: list[str], flags: int) -> list[tuple[int, int]]:
    if not phrases:
        return []
    return [(m.start(), m.end()) for m in phrase_pattern(tuple(sorted(set(phrases))), flags).finditer(text)]


@lru_cache(maxsize=16)
def phrase_pattern(phrases: tuple[str, ...], flags: int) -> re.Pattern[str]:
    """One alternation of the phrases, longest first; a straight apostrophe also matches a curly one."""
    alternatives = "|".join(re.escape(p).replace("'", "['’]") for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", flags)


def marker_spans(text: str, markers: list[str]) -> list[tuple[int, int]]:
    """Existing redaction markers ("[REDACTED]") stay exactly as they are."""
    return sorted((m.start(), m.end()) for marker in markers for m in re.finditer(marker, text))


def inside_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def overlaps_any(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def detect(text: str, params: RedactConfig, lists: RedactionLists):
    """Presidio results on our registry; spaCy runs once and its doc is reused by every recogniser."""
    from casereview.redact.engine import LANGUAGE, get_analyzer

    analyzer = get_analyzer(params.model, params.chunk_chars)
    artifacts = analyzer.nlp_engine.process_text(text, LANGUAGE)
    results = split_at_line_breaks(text, analyzer.analyze(text, language=LANGUAGE, nlp_artifacts=artifacts,
                                   entities=list(ENTITY_LABELS), score_threshold=params.score_threshold))
    nlp = analyzer.nlp_engine.nlp[LANGUAGE]
    entities = list(artifacts.entities) + caps_run_entities(text, nlp)
    return results, entity_votes(artifacts.entities), entities, artifacts.tokens


CAPS_RUN = re.compile(r"\b[A-Z][A-Z'’\-]+(?:[ ]+[A-Z][A-Z'’\-]*)+\b")


class CharSpanEntity:
    """Just enough of a spaCy Span (label_, offsets, tokens) for entities found in re-cased text."""

    def __init__(self, span, offset: int, text: str):
        self.label_ = span.label_
        self.start_char, self.end_char = span.start_char + offset, span.end_char + offset
        self._tokens = [t for t in span]

    def __iter__(self):
        return iter(self._tokens)

    def __len__(self):
        return len(self._tokens)


def caps_run_entities(text: str, nlp) -> list:
    """NER reads upper-case text poorly ("SAMANTHA JANE GOULD WAS SEEN"): re-read such runs re-cased.

    Words the document (or English) uses in lower case are lower-cased, the rest Title-cased, so the run
    reads "Samantha Jane Gould was seen". Only the runs are re-read (same length, so offsets carry over),
    through the model's NER alone.
    """
    runs = [m for m in CAPS_RUN.finditer(text) if len(m.group().split()) >= 2]
    if not runs:
        return []
    lower = {w for w in re.findall(r"[a-z]+", text)} | set(nlp.Defaults.stop_words)

    def recase(match: re.Match) -> str:
        return re.sub(r"[A-Z][A-Z'’]*", lambda w: w.group().lower()
                      if re.sub(r"['’]S?$", "", w.group()).lower() in lower  # "CORONER'S": "coroner"
                      else w.group().title(), match.group())

    found = []
    with nlp.select_pipes(enable=["tok2vec", "ner"]):
        for match, doc in zip(runs, nlp.pipe(recase(m) for m in runs), strict=True):
            found += [CharSpanEntity(ent, match.start(), text) for ent in doc.ents
                      if ent.label_ == "PERSON" or (ent.label_ == "ORG" and all(t.is_title for t in ent))]
    return found


def entity_votes(entities) -> dict[str, Counter]:
    """For each word, how often spaCy put it in a PERSON entity and how often in a place/organisation."""
    votes: dict[str, Counter] = {}
    for ent in entities:
        kind = "PERSON" if ent.label_ == "PERSON" else "OTHER" if ent.label_ in PLACE_OR_ORG else None
        if kind:
            for token in ent:
                votes.setdefault(token.text.casefold(), Counter())[kind] += 1
    return votes


def caps_mentions(finder: NameFinder, entities) -> list[Mention]:
    """Names from re-cased upper-case runs; the small model often calls an unfamiliar name an ORG there,
    so an ORG made only of words that are neither English nor on the lists counts too."""
    found = []
    for ent in entities:
        if isinstance(ent, CharSpanEntity):
            mention = finder.clean(ent.start_char, ent.end_char)
            if mention:
                found.append(mention)
    return found


def first_line(text: str, start: int, end: int) -> tuple[int, int]:
    """NER spans sometimes run over a line break ("Inspector.\n\nAt"): a name does not."""
    cut = text.find("\n", start, end)
    return (start, cut) if cut > start else (start, end)


def plan_redactions(text: str, params: RedactConfig) -> Plan:
    lists = load_lists({k: list(v) for k, v in params.extra_lists.items()} or None)
    markers = sorted(marker_spans(text, list(params.existing_markers)) + existing_label_spans(text))
    protected = protected_spans(text, lists)
    finder = NameFinder(text, lists, sorted(protected + markers))
    spans: list[Span] = []
    mentions: list[Mention] = []
    results, votes, entities, doc = detect(text, params, lists) if text.strip() else ([], {}, [], None)
    finder.use_parse(doc)
    for result in results:
        label = ENTITY_LABELS[result.entity_type]
        if label == "PERSON":
            rule = result.recognition_metadata.get("recognizer_name")
            titled = rule == "TitledNameRecognizer"
            trusted = rule in TRUSTED_NAME_RULES
            span = first_line(text, result.start, result.end)
            mention = finder.clean(*span, titled=titled) or finder.lowercase_person(*span)
            if mention and not overlaps_any(mention.start, mention.end, markers) \
                    and not inside_any(mention.start, mention.end, protected) \
                    and (trusted or finder.plausible(mention, votes)):
                mentions.append(mention)
        elif not overlaps_any(result.start, result.end, markers):
            spans.append(Span(result.start, result.end, label))
    mentions += [m for m in finder.gazetteer_mentions() + finder.deny_mentions() + finder.echoed_names(entities)
                 + caps_mentions(finder, entities) + (finder.recurring_subjects(doc) if doc is not None else [])
                 if not overlaps_any(m.start, m.end, markers)]
    judged = name_uses(text, doc, lists, sorted(protected + markers), mentions)  # "Ms Devon", not "in Devon"
    mentions += judged
    people, _ = finder.group(mentions)  # a first grouping: which first names and surnames are known
    mentions += finder.bracketed_aliases(mentions)  # "Frances Rose Thomas (Frankie)"
    people, _ = finder.group(mentions)
    mentions += finder.neighbour_mentions(people)  # "Tyrese Oyelaran" beside a known "Oisin Oyelaran"
    found = PersonResolver(finder, doc, mentions, [(m.start, m.end) for m in judged]).resolve()
    found.subject = pick_subject(found, params, text)
    person_spans = join_adjacent(finder, [extend_to_title(finder, Span(r.start, r.end, "PERSON", r.person))
                                          for r in found.runs if r.person >= 0])
    spans = merge_overlapping(spans + person_spans)
    labels = pseudonyms(found, params, text)
    replacements = [labels[s.person] if s.label == "PERSON" and s.person is not None
                    else params.replacements[s.label] for s in spans]
    leak_tokens = {t for p in found.people for t in p.tokens}  # what the people table says are names
    leak_tokens = {t for t in leak_tokens if len(t) >= params.leak_min_token_length and t not in finder.allow}
    return Plan(spans, replacements, leak_tokens, finder)


def extend_to_title(finder: NameFinder, span: Span) -> Span:
    """"Mr Wong": a title right before a name is part of the mention."""
    match = re.search(r"(\b[A-Za-z]+)\.?\s$", finder.text[max(0, span.start - 16):span.start])
    if match and match.group(1).casefold() in finder.courtesy_titles:
        return Span(span.start - (len(match.group(0))), span.end, span.label, span.person)
    return span


def join_adjacent(finder: NameFinder, spans: list[Span]) -> list[Span]:
    """"Madeleine Eve Savory" found token by token becomes one mention, so it reads "[PERSON 1]" once."""
    joined: list[Span] = []
    for span in sorted(spans, key=lambda s: s.start):
        if joined and joined[-1].person == span.person and span.start >= joined[-1].end \
                and re.fullmatch(r"[ \-]?", finder.text[joined[-1].end:span.start]):
            joined[-1] = Span(joined[-1].start, max(span.end, joined[-1].end), "PERSON", span.person)
        elif joined and span.start < joined[-1].end:
            joined[-1] = Span(joined[-1].start, max(span.end, joined[-1].end), "PERSON", joined[-1].person)
        else:
            joined.append(span)
    return joined


def pseudonyms(found: People, params: RedactConfig, text: str) -> dict[int, str]:
    """The subject child gets the subject label ("Child A"); everyone else "[PERSON n]" by first appearance,
    or, with redact.pseudonyms: roles, the role the text states ("Mother", "Mother's partner", "GP 1").
    Labels the text already uses ("Child A", "[PERSON 1]", "Mother") are never handed to another person."""
    order = sorted({r.person for r in found.runs if r.person >= 0},
                   key=lambda p: min(found.runs[r].start for r in found.people[p].runs))
    labels: dict[int, str] = {}
    if found.subject is not None:
        labels[found.subject] = free_label(params.subject_label, text)
    if params.pseudonyms == "roles":
        roles = {p: found.role_label(p) for p in order if p != found.subject}
        shared = Counter(role[0] for role in roles.values() if role)
        used: Counter = Counter()
        for person, role in roles.items():
            if role is None:
                continue
            name, numbered = role
            label = name[0].upper() + name[1:]
            if numbered or shared[name] > 1:
                used[name] += 1
                while label_used_as_name(f"{label} {used[name]}", text):
                    used[name] += 1
                label = f"{label} {used[name]}"
            if not label_used_as_name(label, text):
                labels[person] = label
    n = 0
    for person in order:
        if person in labels:
            continue
        n += 1
        while label_in_text(params.person_label.format(n=n), text):
            n += 1
        labels[person] = params.person_label.format(n=n)
    return labels


def pick_subject(found: People, params: RedactConfig, text: str) -> int | None:
    """Who gets the subject label: nobody when the text already uses that kind of label ("Child A")."""
    mode = params.subject
    if mode == "names":
        wanted = {t.casefold() for name in params.subject_names for t in name.split()}
        for index, person in enumerate(found.people):
            if wanted & person.tokens:
                return index
        return None
    if mode == "none":
        return None
    cued = cued_run(text, found.runs)
    if cued is not None and found.runs[cued].person >= 0:
        return found.runs[cued].person  # named as the subject: gets the next free label ("Child B")
    if re.search(label_family(params.subject_label), text):
        return None  # the text pseudonymised its subject already: nobody new is a child
    return choose_subject(found, text)


def label_family(label: str) -> str:
    """ "Child A" -> any "Child X" (the text pseudonymised its subject already)."""
    return r"(?<!\w)" + re.sub(r"(?<=\s)[A-Z]$", "[A-Z]", re.escape(label)) + r"(?!\w)"


def label_in_text(label: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(label) + r"(?!\w)", text) is not None


def label_used_as_name(label: str, text: str) -> bool:
    """ "Mother said ..." uses "Mother" as a pseudonym already; "the GP" or "her Mother" is a role word."""
    for match in re.finditer(r"(?<!\w)" + re.escape(label) + r"(?!\w)", text):
        before = re.search(r"([\w'’]+)\s+$", text[max(0, match.start() - 20):match.start()])
        if before is None or (before.group(1).casefold() not in ROLE_DETERMINERS and \
                not before.group(1).endswith(("'s", "’s"))):
            return True
    return False


def free_label(label: str, text: str) -> str:
    """ "Child A" already in the text (an earlier pseudonymisation) -> "Child B", and so on."""
    match = re.fullmatch(r"(.*\s)([A-Y])", label)
    while match and label_in_text(label, text):
        label = match.group(1) + chr(ord(match.group(2)) + 1)
        match = re.fullmatch(r"(.*\s)([A-Y])", label)
    return label


# -- applying ------------------------------------------------------------------------------------------


def apply_plan(text: str, plan: Plan) -> tuple[str, list[Redaction], OffsetMap]:
    pieces, redactions = [], []
    old_starts, old_ends, new_starts, new_ends = [], [], [], []
    cursor, new_len = 0, 0
    for span, replacement in zip(plan.spans, plan.replacements, strict=True):
        pieces.append(text[cursor:span.start])
        new_len += span.start - cursor
        redactions.append(Redaction(start=new_len, end=new_len + len(replacement), label=span.label,
                                    replacement=replacement))
        old_starts.append(span.start)
        old_ends.append(span.end)
        new_starts.append(new_len)
        new_ends.append(new_len + len(replacement))
        pieces.append(replacement)
        new_len += len(replacement)
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces), redactions, OffsetMap(old_starts, old_ends, new_starts, new_ends)


def leak_count(redacted: str, redactions: list[Redaction], plan: Plan) -> int:
    """How many detected name tokens (>= 3 letters, not allow-listed) remain outside the redactions."""
    masked = list(redacted)
    for r in redactions:
        masked[r.start:r.end] = " " * (r.end - r.start)
    checker = NameFinder("".join(masked), plan.finder.lists, protected_spans("".join(masked), plan.finder.lists))
    checker._lowercase_words = plan.finder._lowercase_words  # same case rule as the search itself
    return sum(len(checker.occurrences(token)) for token in plan.leak_tokens)


def check_leaks(redacted: str, redactions: list[Redaction], plan: Plan, params: RedactConfig) -> None:
    if not params.leak_check:
        return
    remaining = leak_count(redacted, redactions, plan)
    if remaining:
        raise LeakError(f"{remaining} person-name token(s) remain after redaction; output not written")


def redact_text(text: str, config: RedactConfig | None = None) -> RedactedText:
    """Redact one text: names become pseudonyms, identifiers become labels. Raises LeakError."""
    params = config or load_config().redact
    plan = plan_redactions(text, params)
    redacted, redactions, _ = apply_plan(text, plan)
    check_leaks(redacted, redactions, plan, params)
    log.debug("redacted %d span(s) in a text of %d characters", len(redactions), len(text))
    return RedactedText(redacted, redactions)


def redact_document(doc: Document, config: RedactConfig | None = None) -> Document:
    """Redact a Document in place and return it: text, items, section titles, offsets, redactions."""
    params = config or load_config().redact
    if doc.redacted:
        return doc  # redaction is idempotent at document level: pseudonyms must not be renumbered
    plan = plan_redactions(doc.text, params)
    old_text = doc.text
    redacted, redactions, offsets = apply_plan(old_text, plan)
    surface = surface_replacer(old_text, plan)
    for item in doc.items:
        exact = old_text[item.start:item.end] == item.text
        item.start, item.end = offsets.start(item.start), offsets.end(item.end)
        item.text = redacted[item.start:item.end] if exact else surface(item.text)
        if item.subpoints:
            item.subpoints = [surface(point) for point in item.subpoints]
    for section in doc.sections:
        section.title = surface(section.title)
        section.start, section.end = offsets.start(section.start), offsets.end(section.end)
    for page in doc.pages:
        page.start, page.end = offsets.start(page.start), offsets.end(page.end)
    if doc.error and doc.error.message:
        doc.error.message = surface(doc.error.message)
    doc.source.file = redact_file_name(doc.source.file, plan)
    check_leaks(redacted, redactions, plan, params)
    subpoints = [point for i in doc.items for point in (i.subpoints or [])]
    for extra in [i.text for i in doc.items] + subpoints + [s.title for s in doc.sections]:
        check_leaks(extra, [], plan, params)
    doc.text, doc.redactions, doc.redacted = redacted, redactions, True
    log.debug("redacted document with %d span(s)", len(redactions))
    return doc


def redact_file_name(name: str, plan: Plan) -> str:
    """File names often carry the child's name ("Jane-Doe-PFD-report.pdf"): replace any word of it that is
    a detected name token, so the name does not travel on in manifests, the database or exports."""
    keep = plan.finder.allow if plan.finder is not None else frozenset()  # councils, places: "calderdale_..."
    tokens = {t.casefold() for t in plan.leak_tokens} - keep
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    stem = re.sub(r"[^\W\d_]+", lambda m: "REDACTED" if m.group().casefold() in tokens else m.group(), stem)
    return stem + dot + extension  # the extension is never a name: "..._2.pdf" stays ".pdf"


def surface_replacer(text: str, plan: Plan):
    """Replace, in other strings (item texts, titles), the exact strings redacted in the text."""
    table: dict[str, str] = {}
    for span, replacement in zip(plan.spans, plan.replacements, strict=True):
        table.setdefault(text[span.start:span.end].casefold(), replacement)
    if not table:
        return lambda s: s
    keys = sorted(table, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.IGNORECASE)
    return lambda s: pattern.sub(lambda m: table[m.group().casefold()], s)
