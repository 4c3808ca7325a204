"""People's names out of a credit line: "Posted on 3 May 2024 by Jane Roe", "Von Max
Muster und Erika Beispiel", "By JANE ROE THE CITY LEDGER", "Zeige alle Beiträge von …".

A label ("Posted on", "By", "Von", "Autor:", "View all posts by"), a date or a time is
never a name; names stay whole ("Bo2man", "Perry Bacon Jr."); several names stay a list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipelines.sitename import SiteNames

MAX_NAME_CHARS = 60
MAX_NAME_WORDS = 6
# Credit labels in the languages of the sites people follow most, longest first so "posted
# by" is taken whole; each may end with a colon.
_LABELS = sorted(
    (
        "posted by", "posted on", "posted", "written by", "published by", "published", "reported by", "words by",
        "story by", "text by", "article by", "articles by", "posts by", "all posts by", "view all posts by",
        "more from", "more by", "recipe by", "a note from", "profile of", "by", "from", "author", "authors",
        "about the author", "follow", "von", "vom", "verfasst von", "geschrieben von", "erstellt von",
        "eingestellt von", "veröffentlicht von", "veröffentlicht am", "veröffentlicht", "beitrag von", "artikel von",
        "zeige alle beiträge von", "alle beiträge von", "zum profil von", "autor", "autorin", "autoren",
        "gespeichert von", "eingereicht von", "submitted by", "ein beitrag von", "gastbeitrag von", "par",
        "pressemitteilung von", "interview", "text", "texte", "recherche", "ein artikel von", "eine kolumne von",
        "ein interview von", "text von", "text & fotos", "text und fotos", "text & foto", "herausgeber",
        "verfasst von",
        "publié par", "auteur", "auteurs",
        "por", "publicado por", "autor", "scritto da", "door", "geschreven door", "skrevet af", "napisał",
        "autorka", "責任編輯", "责任编辑", "作者", "文",
    ),
    key=len,
    reverse=True,
)  # fmt: skip
# Short lower-case labels that begin names too when capitalised ("Di Maio", "Da Silva").
_PARTICLES = ("di", "da", "av", "af", "de")
# Labels only with a colon: "Redaktion" alone is a credit (the newsroom), "Text" a word.
_COLON_LABELS = ("redaktion",)
_LABEL = re.compile(
    r"^(?:(?:(?i:" + "|".join(re.escape(label) for label in _LABELS) + r")|" + "|".join(_PARTICLES) + r")"
    r"(?:\s*[:：]\s*|\s+|$)|(?i:" + "|".join(_COLON_LABELS) + r")\s*[:：]\s*)"
)
# What may follow a name on the same line and is not part of it.
_TRAILER = re.compile(
    r"\s+(?:says|said|schreibt|sagt|at|am|um|on|le|el|il|op|i|in|on behalf of|for the|für|für die)\s*:?$",
    re.IGNORECASE,
)
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|august|september|"
    "october|november|december|januar|jänner|februar|märz|mär|mai|juni|juli|okt|oktober|dez|dezember|janvier|"
    "février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|"
    "junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|febbraio|aprile|maggio|giugno|luglio|"
    "settembre|ottobre"
)
# Dates and times, written any way ("19.10.2019, 23:38 Uhr", "May 3, 2024", "3. Mai 2014",
# "3 months ago", "am Samstag"): never part of a name, they end one.
_DATE = re.compile(
    r"(?:\b(?:mo|di|mi|do|fr|sa|so|mon|tue|wed|thu|fri|sat|sun)\.?,?\s+)?"
    r"\b\d{1,4}[./-]\s?(?:\d{1,2}|(?:" + _MONTHS + r"))\.?(?:[./-]\s?\d{2,4})?\b"
    r"|\b\d{1,2}:\d{2}(?:\s*(?:uhr|h|am|pm))?\b"
    r"|\b\d{1,2}\.?\s+(?:de\s+)?(?:" + _MONTHS + r")\.?(?:\s+(?:de\s+)?\d{4})?\b"
    r"|\b(?:" + _MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?\b"
    r"|\b(?:19|20)\d{2}(?!\d)"
    r"|\b\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?|minuten|stunden|tagen?|wochen|monaten|jahren)\b"
    r"|\b(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b",
    re.IGNORECASE,
)
# "A im Gespräch mit B": both are credited (before "mit" ends a credit line).
_CONVERSATION = re.compile(r"\s+(?:im gespräch mit|in conversation with)\s+", re.IGNORECASE)
_GLUED_LABEL = re.compile(r"\b((?i:von|by|par|por))(?=[A-ZÀ-Þ][a-zà-ÿ])")
# Where a meta line goes on to its next item ("NAME | 3 Kommentare", "NAME • Politik").
_ITEM_BREAK = re.compile(r"\s*(?:[|•·@]|\s[-–—]\s|\s[-–—]$|^[-–—]\s)\s*")
# "Posted in Politics by NAME": a credit label inside a line starts the credit.
_INNER_LABEL = re.compile(r"(?<=\S)\s+(?=(?i:by|par|por)\s|Von\s)")
# Words after which a credit line says something else: "NAME, Datum: …", "NAME Stand: …",
# "NAME for The Mail", "(Pressesprecher)".
_TAIL = re.compile(
    r"\s*(?:\([^)]*\)?|(?<=\w)\s+(?:datum|date|stand|updated|aktualisiert|ago|uhr|vor|for|für|photos?|fotos?|"
    r"bilder?|images?|lesezeit|reading time|veröffentlicht|published|mitglied|follow|folgen|quelle|source|"
    r"staff(?!\s+reports?\b)|"
    r"chefredakteur(?:in)?|redakteur(?:in)?|geschäftsführer(?:in)?|projektleiter(?:in)?|pressesprecher(?:in)?|"
    r"korrespondent(?:in)?|illustration|illustrationen|mit)\b).*$",
    re.IGNORECASE,
)
# Several people in one credit (an agency glued on: "Peter Maahn/SP-X").
_SEPARATOR = re.compile(
    r"\s*(?:;|,|&|\+|\s/|/\s|/(?=(?-i:[A-Z][A-Z-]*[A-Z])\b)|\band\b|\bund\b|\bet\b|\by\b|\be\b(?!\.)|"
    r"\bim gespräch mit\b)\s*",
    re.IGNORECASE,
)
# Words that make a line something else than names: a sentence, a call to action.
_NOT_A_NAME = re.compile(
    r"\b(?:comments?|kommentare?|share|teilen|read more|weiterlesen|newsletter|subscribe|abonnieren|login|"
    r"anmelden|menu|menü|search|suche|cookies?|privacy|datenschutz|impressum|copyright|all rights|"
    r"no author|unknown author|anonymous author|übersicht|anzeigen|archiv|archive|zuletzt|geändert|erstelle|"
    r"kostenlose|website|cc|cc-by|creative commons|collected|ago|richtlinien)\b|übersicht|[!?:;()\[\]{}<>\"“”«»=#*→»]",
    re.IGNORECASE,
)
_LETTER = re.compile(r"[^\W\d_]")


def _strip_labels(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = _LABEL.sub("", text).strip(" ,;:|-–—•·()[]")
        text = _TRAILER.sub("", text).strip(" ,;:|-–—•·()[]")
    return text


# Words of a meta line that are no name when they stand alone ("Stand: 19.10.2019").
_LONE_WORDS = frozenset(
    {"stand", "datum", "date", "updated", "aktualisiert", "quelle", "source", "von", "by", "am", "auf", "und", "and",
     "the", "der", "die", "das", "mit", "for", "per", "on", "at", "um", "in", "de", "la", "le", "el", "zvg",
     "red", "a.m", "p.m"}
)  # fmt: skip
# Legal forms: a company or an association, not a person ("Deutsches Weininstitut GmbH").
_ORGANISATION = re.compile(
    r"\b(?:gmbh|mbh|ag|se|kg|eg|e\.\s?v\.|inc|ltd|llc|plc|s\.a\.|sa|srl|s\.r\.l\.|corp|co\.|verlag|verband|"
    r"stiftung|gesellschaft)(?!\w)",
    re.IGNORECASE,
)


# News agencies, credited beside the writer ("Von David Hutzler, dpa", "Peter Maahn/SP-X").
_AGENCY = re.compile(
    r"(?:dpa|dpa-afx|afp|ap|apa|reuters|kna|epd|sid|ddp|dapd|dts|sda|ats|ansa|efe|upi|tass|xinhua|kyodo|ips|sp-x|"
    r"anp|belga|ctk|pap|mti|ntb|tt|stt|afx|aa)",
    re.IGNORECASE,
)


def organisation(name: str) -> bool:
    """Does the name carry a legal form, or is it a news agency?"""
    return bool(_ORGANISATION.search(name)) or bool(_AGENCY.fullmatch(name))


def credit_names(line: str, site: SiteNames | None = None, *, organisations: bool = True) -> list[str]:
    """The names in a credit line, in order; [] when the line names nobody.

    The site itself or a company credited beside people is not one of them; credited
    alone ("Von Houzz Deutschland", a personal blog named after its writer) it is the
    credit, unless ``organisations`` is False.

    The line's items (split at dates, "|", "•", " - ") are read in order; an item that
    starts with a credit label ("By", "Von") is the credit, else the first that names people.
    """
    # "Deutscher Caritasverband e. V." is one name, not "… and V."; "Geschrieben vonElisa
    # Marvena" (a label glued to a linked name) is two words.
    text = re.sub(r"\be\.\s?V\.", "e.V.", " ".join(line.split()))
    text = _CONVERSATION.sub(", ", _GLUED_LABEL.sub(r"\1 ", text))
    text = _INNER_LABEL.sub(" | ", _DATE.sub(" | ", text))
    items = _ITEM_BREAK.split(text)
    labelled = [item for item in items if _LABEL.match(item.strip())]
    for item in labelled + [item for item in items if item not in labelled]:
        names = _names(_TAIL.sub("", _strip_labels(item)), site, organisations)
        if names:
            return names
    return []


# Degrees and roles after a name ("Grant Tinsley, PhD", "Jane Roe, Staff Writer"): no
# person of their own.
_CREDENTIALS = frozenset({"phd", "ph.d", "md", "m.d", "mba", "msc", "bsc", "rd", "rn", "dr", "prof", "jr", "sr"})
_ROLE = re.compile(
    r"(?:(?:senior|chief|contributing|managing|staff|guest)\s+)*"
    r"(?:writer|reporter|editor|correspondent|contributor|columnist|photographer)s?",
    re.IGNORECASE,
)


def _names(text: str, site: SiteNames | None, organisations: bool) -> list[str]:
    parts = [clean_name(site.without_name(p) if site else p) for p in _SEPARATOR.split(text) if p.strip(" .")]
    if not parts or None in parts:
        return []  # one part that is no name makes the item something else
    names = [n for n in parts if n and n.casefold().strip(".") not in _CREDENTIALS]
    # A role beside a name is no one ("Jane Roe, Staff Writer"); alone it is the credit.
    names = [n for n in names if not _ROLE.fullmatch(n)] or names
    people = [n for n in names if not organisation(n) and (site is None or not site.matches(n))]
    return list(dict.fromkeys(people or (names if organisations else [])))


# Name particles that stay lower case ("Max von Muster", "Jeanne de la Cruz").
_PARTICLE_WORDS = frozenset(
    {"von", "van", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin", "al", "el", "zu", "ten"}
)


def looks_like_a_person(name: str) -> bool:
    """A person's name as printed: capitalised words (a particle may be lower case), or one
    account name ("jancak", "Bo2man")."""
    words = name.split()
    if len(words) == 1:
        return True
    return len(words) <= 4 and all(w[0].isupper() or w in _PARTICLE_WORDS for w in words) and words[-1][0].isupper()


def clean_name(text: str) -> str | None:
    """One person's name without labels and shouting, or None when it is no name."""
    name = _strip_labels(" ".join(text.split())).strip(" .,;:")
    # "Perry Bacon Jr." keeps its period; a trailing period of a sentence goes.
    if text.rstrip().endswith(".") and re.search(r"\b(?:Jr|Sr|[A-Z])$", name):
        name += "."
    if len(name) < 2 or len(name) > MAX_NAME_CHARS or len(name.split()) > MAX_NAME_WORDS:
        return None
    if not _LETTER.search(name) or _NOT_A_NAME.search(name) or _LABEL.fullmatch(name):
        return None
    # "the burning", "auf": words, not names ("oz", "c1ph4" are accounts).
    if (name.islower() and " " in name) or name.casefold() in _LONE_WORDS:
        return None
    return name.title() if name.isupper() and len(name) > 4 and " " in name else name


# A credit line is its names and a few words of label and date around them.
_CREDIT_LINE_EXTRA_CHARS = 60


def is_credit_line(line: str, names: list[str]) -> bool:
    """Is the line only a credit of these names ("Posted by Jane Roe at May 3, 2024 7:05 PM")?"""
    if not names or len(line) > sum(map(len, names)) + _CREDIT_LINE_EXTRA_CHARS:
        return False
    # The names it credits are its own words (cased anew at most): a line without one of
    # these names is not read at all (this is asked of every line of every body).
    folded = " ".join(line.split()).casefold()
    if not any(name.casefold() in folded for name in names):
        return False
    credited = credit_names(line)
    return (
        bool(credited)
        and {n.casefold() for n in credited} <= {n.casefold() for n in names}
        and line != " ".join(credited)
    )
