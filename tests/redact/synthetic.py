"""An invented identifier suite: report-like sentences with names and UK identifiers, and where they are.

Everything here is made up (names are random pairings; numbers are generated with valid check digits).
Used by the tests and by benchmarks/bench_redact.py.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field

FIRST = ["Aoife", "Callum", "Eilidh", "Kayden", "Mhairi", "Tyrese", "Brodie", "Skye", "Lexie", "Rowan",
         "Kacper", "Amara", "Zainab", "Oisin", "Ffion", "Jodie", "Kenzie", "Ellis", "Reuben", "Tamsin"]
SURNAME = ["Drummond", "O'Neill", "MacLeod", "McAllister", "Fairweather", "Okonkwo", "Smith-Jones",
           "Kowalczyk", "Baird", "Quigley", "Achterberg", "Lindqvist", "Pemberton", "Strachan", "Oyelaran"]
TITLES = ["Mr", "Mrs", "Ms", "Miss", "Dr"]
STREETS = ["Riverside Drive", "Bellfield Road", "Kirkton Crescent", "Mill Lane", "Hawthorn Gardens",
           "Station Road", "Victoria Street", "Ashgrove Place"]
POSTCODES = ["DD1 4NY", "AB10 1XG", "G12 8QQ", "EH1 2NG", "M1 1AE", "SW1A 1AA", "B33 8TH", "CR2 6XH",
             "IV2 3BW", "KA7 1UT", "LS6 2QB", "PA1 1JF"]
PUBLIC_BODIES = [
    # in the shipped allow-list
    "NHS Grampian", "Police Scotland", "CAMHS", "Bradford Council", "the Care Inspectorate", "Ofsted",
    "NHS Lothian", "the Scottish Children's Reporter Administration", "Social Work Scotland", "NSPCC",
    # not in it: kept because they read as organisations
    "Leeds Teaching Hospitals NHS Trust", "Greater Manchester Police", "Kent County Council",
    "West Yorkshire Police", "Great Ormond Street Hospital", "Sheffield Children's Hospital",
    "Aberdeen Royal Infirmary", "Highland Health and Social Care Partnership", "Glasgow City Council",
    "Norfolk and Suffolk NHS Foundation Trust", "Dundee Health and Social Care Partnership",
    "Birmingham Children's Trust", "Northumbria Police", "the Youth Offending Service",
    "the Multi-Agency Safeguarding Hub", "Fife Council", "Perth Sheriff Court", "Lancashire Constabulary",
]
BODY_SENTENCES = [
    "A referral was made to {b} on 3 May 2021.",
    "{b} did not share the information with the health visitor.",
    "The lead professional from {b} attended the meeting.",
    "Records held by {b} show two missed appointments.",
]


@dataclass
class Case:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, label)


def mod11_check(digits9: str) -> int | None:
    remainder = sum(int(d) * w for d, w in zip(digits9, range(10, 1, -1), strict=False)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def nhs_number(rng: random.Random) -> str:
    while True:
        base = "".join(rng.choice(string.digits) for _ in range(9))
        check = mod11_check(base)
        if check is not None:
            digits = base + str(check)
            return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def chi_number(rng: random.Random) -> str:
    while True:
        base = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(5, 20):02d}{rng.randint(0, 999):03d}"
        check = mod11_check(base)
        if check is not None:
            return base + str(check)


def ni_number(rng: random.Random) -> str:
    while True:  # HMRC never issues D, F, I, Q, U, V; O second; or BG, GB, KN, NK, NT, TN, ZZ
        first, second = rng.choice("ABCEGHJKLMNOPRSTWXYZ"), rng.choice("ABCEGHJKLMNPRSTWXYZ")
        if first + second not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
            break
    digits = "".join(rng.choice(string.digits) for _ in range(6))
    return f"{first}{second} {digits[:2]} {digits[2:4]} {digits[4:]} {rng.choice('ABCD')}"


def phone_number(rng: random.Random) -> str:
    return rng.choice([
        f"07{rng.randint(700, 999)} {rng.randint(100000, 999999)}",
        f"01{rng.randint(200, 999)} {rng.randint(100000, 999999)}",
        f"0131 {rng.randint(200, 999)} {rng.randint(1000, 9999)}",
        f"020 {rng.randint(7000, 8999)} {rng.randint(1000, 9999)}",
        f"+44 7{rng.randint(700, 999)} {rng.randint(100000, 999999)}",
    ])


def date_of_birth(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2005, 2020)
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    return rng.choice([f"{day:02d}/{month:02d}/{year}", f"{day} {months[month - 1]} {year}",
                       f"{day:02d}.{month:02d}.{year}"])


TEMPLATES = [
    ("{person} (date of birth {dob}) lived with her mother at {address}, {town} {postcode}.",
     ["person", "dob", "address", "postcode"]),
    ("The health visitor recorded {person}'s NHS number as {nhs} and the family's phone as {phone}.",
     ["person", "nhs", "phone"]),
    ("{title_person}, the child's father, gave his National Insurance number {nino} and CHI {chi}.",
     ["title_person", "nino", "chi"]),
    ("CHI number: {chi}. DOB: {dob}. Contact: {email}.", ["chi", "dob", "email"]),
    ("{caps_person} WAS SEEN BY THE GP ON 3 MARCH. {person} was later seen at home.",
     ["caps_person", "person"]),
    ("The social worker emailed {email} and called {phone} but {title_person} did not reply.",
     ["email", "phone", "title_person"]),
    ("Police Scotland attended {address} on 12 June; {person} was not at home.", ["address", "person"]),
    ("{person} was born on {dob}; the family moved to {postcode} in 2019.", ["person", "dob", "postcode"]),
]


def make_case(rng: random.Random, template: str, slots: list[str]) -> Case:
    first, surname = rng.choice(FIRST), rng.choice(SURNAME)
    values = {
        "person": f"{first} {surname}",
        "title_person": f"{rng.choice(TITLES)} {rng.choice(SURNAME)}",
        "caps_person": f"{rng.choice(FIRST)} {rng.choice(SURNAME)}".upper(),
        "dob": date_of_birth(rng), "nhs": nhs_number(rng), "chi": chi_number(rng), "nino": ni_number(rng),
        "phone": phone_number(rng), "postcode": rng.choice(POSTCODES),
        "address": f"{rng.randint(1, 240)} {rng.choice(STREETS)}", "town": "Dundee",
        "email": f"{first.lower().replace(chr(39), '')}.{rng.randint(10, 99)}@example.co.uk",
    }
    labels = {"person": "PERSON", "title_person": "PERSON", "caps_person": "PERSON", "dob": "DATE_OF_BIRTH",
              "nhs": "NHS_NUMBER", "chi": "CHI_NUMBER", "nino": "NI_NUMBER", "phone": "PHONE",
              "postcode": "POSTCODE", "address": "ADDRESS", "email": "EMAIL"}
    text, spans, rest = "", [], template
    while "{" in rest:
        before, _, after = rest.partition("{")
        slot, _, rest = after.partition("}")
        text += before
        if slot in slots:
            spans.append((len(text), len(text) + len(values[slot]), labels[slot]))
        text += values[slot]
    return Case(text + rest, spans)


def identifier_suite(n: int = 80, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    return [make_case(rng, *TEMPLATES[i % len(TEMPLATES)]) for i in range(n)]


def public_body_suite() -> list[tuple[str, str]]:
    """(sentence, body) pairs: each body in each sentence template."""
    return [(s.format(b=b), b) for b in PUBLIC_BODIES for s in BODY_SENTENCES]
