"""News-like prose for the syndication corpus: real English words (Faker's word lists) in
news sentence shapes, with a story's people, places, organisations and numbers woven in.

Words are drawn at random into short templates, so two unrelated stories share a 5-word run
only by rare chance, while two articles with the same cast share names and vocabulary.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from faker import Faker
from faker.providers.lorem.en_US import Provider as Lorem

MODALS = ("would", "could", "will", "may", "should", "might", "must", "can")
_SLOT = re.compile(r"\{([A-Z0-9]+)\}")
_AN = re.compile(r"\ba ([aeiou])")
# Templates keep fixed runs to 3-4 words between slots: longer fixed phrases would be shared
# 5-word shingles between unrelated stories.
GRAMMAR: dict[str, list[str]] = {
    "NP": ["{DET} {A} {N}", "the {N} {N}", "the {N}", "{DET} {N}"],
    "VP": ["{M} {V} {NP}", "plans to {V} {NP}", "{V3} {NP}", "{M} not {V} {NP}", "wants to {V} {NP}"],
    "VPP": ["{M} {V} {NP}", "plan to {V} {NP}", "{V} {NP}", "{M} not {V} {NP}", "want to {V} {NP}"],
    "PP": ["in {PLACE}", "after the {N}", "by {NUM}", "across {STATE}", "before {DET} {A} {N}", "with {ORG}"],
    "S": ["{LAST}", "{ORG}", "{NP}", "{FULL}"],
    "Q": ["We {M} {V} {NP} {PP}", "The {N} {VP}", "{ADV}, people {VPP}", "This is {DET} {A} {N} for {PLACE}"],
    "news": [
        "{S} {VP} {PP}.",
        '"{Q}," said {WHO}.',
        '"{Q}," {LAST} said.',
        "{NP} {VP}, according to {ORG}.",
        "{ADV}, {S} {VP}.",
        "{LAST} said {NP} {VP} {PP}.",
        "{ORG} did not {V} {NP}.",
        "About {CNT} {NS} {VPP}, {LAST} said.",
        "In {PLACE}, {S} {VP} {PP}.",
        "Officials in {PLACE} {VPP} {PP}.",
        "{WHO}, {V3} {NP}.",
    ],
    "blog": [
        "I {ADVL} think {S} {VP}.",
        "{LAST} {VP}, and I {VPP}.",
        "My {N} {VP} {PP}.",
        "Why {M} {S} {V} {NP}?",
        "{ADV}, the {A} part is {NP}.",
    ],
    "comment": ["{ADV} {A} {N}.", "I {M} {V} {NP}.", "Who {V3} {NP}?", "So {S} {VP}?"],
    "headline": [
        "{ORG} {V3} {A} {N} in {PLACE}",
        "{LAST} {V3} {N} as {PLACE} {NS} {V}",
        "{PLACE} {N} {M} {V} {CNT} {NS}",
        "{A} {N} {V3} {ORG}",
    ],
    "post_title": ["On {ORG} and the {N}", "What {LAST} gets wrong about {NP}", "{PLACE}, {NP} and {ORG}", "{A} {NS}"],
}
BODIES = ("City Council", "Port Authority", "School Board", "Water District", "Transit Agency", "Health Department")


@dataclass
class Cast:
    """Who and what one story is about: two articles with the same cast read as one topic."""

    people: list[tuple[str, str, str, str]]  # full name, last name, role, organisation
    orgs: list[str]
    places: list[str]
    numbers: list[str]
    nouns: list[str]
    adjs: list[str]
    verbs: list[str]


class Writer:
    """News-like sentences over Faker's English word lists (real words, random order, so two
    stories share a 5-word run only by rare chance), with the story's cast woven in."""

    def __init__(self, rng: random.Random, fake: Faker) -> None:
        self.rng, self.fake, pos = rng, fake, Lorem.parts_of_speech
        self.nouns, self.adjs, self.verbs = pos["noun"], pos["adjective"], pos["verb"]
        # "-ly" adverbs only: "Off," or "Above," read badly at the start of a sentence.
        self.advs = tuple(word for word in pos["adverb"] if word.endswith("ly"))

    def cast(self) -> Cast:
        rng, f = self.rng, self.fake
        orgs = [f.company(), f.company(), f"the {f.city()} {rng.choice(BODIES)}"]
        people = []
        for _ in range(rng.randint(3, 5)):
            job = f.job().lower()
            while len(re.findall(r"[a-z]+", job)) > 3:  # long job titles recur across casts as 5-word runs
                job = f.job().lower()
            role = " ".join(reversed(job.split(", "))) if ", " in job else job
            last = f.last_name()
            people.append((f"{f.first_name()} {last}", last, role, rng.choice(orgs)))
        numbers = [
            f"{rng.randint(2, 95)} percent",
            f"${rng.randint(1, 99)}.{rng.randint(1, 9)} million",
            f"{rng.randint(1_100, 60_000):,}",
            str(rng.randint(12, 480)),
        ]
        return Cast(
            people, orgs, [f.city(), f.city(), f.state()], numbers,
            rng.sample(self.nouns, 10), rng.sample(self.adjs, 5), rng.sample(self.verbs, 5),
        )  # fmt: skip

    # Topic words about half the time, so same-cast articles share vocabulary but not sentences.
    def _pick(self, own: list[str], common: tuple[str, ...], bias: float) -> str:
        return self.rng.choice(own if self.rng.random() < bias else common)

    def fill(self, template: str, c: Cast) -> str:
        """``template`` with every {SLOT} filled, left to right (so the rng order is fixed)."""
        return _SLOT.sub(lambda m: self._slot(m.group(1), c), template)

    def _slot(self, name: str, c: Cast) -> str:
        r = self.rng
        if name in GRAMMAR:
            return self.fill(r.choice(GRAMMAR[name]), c)
        simple = {
            "N": lambda: self._pick(c.nouns, self.nouns, 0.5),
            "NS": lambda: plural(self._pick(c.nouns, self.nouns, 0.5)),
            "A": lambda: self._pick(c.adjs, self.adjs, 0.4),
            "V": lambda: self._pick(c.verbs, self.verbs, 0.4),
            "V3": lambda: v3(self._pick(c.verbs, self.verbs, 0.4)),
            "ADV": lambda: r.choice(self.advs).capitalize(),
            "ADVL": lambda: r.choice(self.advs),
            "M": lambda: r.choice(MODALS),
            "DET": lambda: r.choice(("the", "the", "its", "their", "a")),
            "NUM": lambda: r.choice(c.numbers),
            "CNT": lambda: r.choice(c.numbers[2:]),
            "ORG": lambda: r.choice(c.orgs),
            "PLACE": lambda: r.choice(c.places[:2]),
            "STATE": lambda: c.places[2],
            "FULL": lambda: r.choice(c.people)[0],
            "LAST": lambda: r.choice(c.people)[1],
            "WHO": lambda: self._who(r.choice(c.people)),
        }
        return simple[name]()

    def _who(self, person: tuple[str, str, str, str]) -> str:
        full, _, role, org = person
        return f"{full}, {role} at {org}" if self.rng.random() < 0.6 else f"{full}, a {role}"

    def sentence(self, c: Cast, voice: str = "news") -> str:
        text = _AN.sub(r"an \1", self.fill(self.rng.choice(GRAMMAR[voice]), c))
        head = 1 if text[0] == '"' else 0
        return text[:head] + text[head].upper() + text[head + 1 :]

    def paragraph(self, c: Cast, voice: str = "news", lo: int = 30, hi: int = 90) -> str:
        # Sentences are at most 22 words, so stopping before passing `hi` still leaves ≥ lo.
        target, words = self.rng.randint(lo, hi), []
        while len(words) < target:
            s = self.sentence(c, voice).split()
            if len(s) > 22:
                continue
            if len(words) + len(s) > hi:
                break
            words += s
        return " ".join(words)

    def headline(self, c: Cast) -> str:
        return self.sentence(c, "headline")


def v3(verb: str) -> str:
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes"}
    if verb in irregular:
        return irregular[verb]
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    return verb[:-1] + "ies" if verb.endswith("y") and verb[-2] not in "aeiou" else verb + "s"


plural = v3  # the same spelling rules, close enough for nouns here


UK = {"color": "colour", "center": "centre", "organization": "organisation", "program": "programme"}
UK |= {"defense": "defence", "behavior": "behaviour", "realize": "realise"}
EDITS = [(r"\bsaid\b", "says"), (r"(\d) percent\b", r"\1%"), (r"\$(\d+\.\d) million", r"$\1m"), (r"(\d),(\d)", r"\1\2")]
EDITS += [(rf"\b{us}\b", uk) for us, uk in UK.items()]


def word_edits(rng: random.Random, blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A copy desk's 1-4 single-word changes: said → says, UK spelling, numbers written differently."""
    blocks = list(blocks)
    for _ in range(rng.randint(1, 4)):
        pattern, repl = rng.choice(EDITS)
        hits = [i for i, (kind, text) in enumerate(blocks) if kind == "p" and re.search(pattern, text)]
        if hits:
            i = rng.choice(hits)
            blocks[i] = ("p", re.sub(pattern, repl, blocks[i][1], count=1))
    return blocks
