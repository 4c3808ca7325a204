"""Model and helpers: comments, pages, decks, threads, times, engine ids."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .bank import AUTHORS, GENERIC, OWNER_REPLIES, REPLIES, RNG


@dataclass
class Comment:
    """One comment as it will be rendered, and as the truth file describes it.

    ``blocks`` is the comment's text: a str is one paragraph, ("br", [lines]) is one
    paragraph whose lines the engine separates with <br><br>, ("quote", [lines]) is a
    blockquote (one <p> per line). The truth text is every line joined by "\\n".
    """

    author: str
    blocks: list
    url: str | None = None
    depth: int = 1
    parent: Comment | None = None
    when: datetime | None = None  # aware, in the site's timezone
    shown: str | None = None  # the date as the page prints it
    site_id: str | None = None
    num: int = 0  # engine id (WordPress comment ID, Blogger id, …)
    kind: str = "comment"  # comment | pingback | trackback
    edited: bool = False
    votes: int | None = None
    owner: bool = False  # written by the post's author
    extra: dict = field(default_factory=dict)

    def lines(self) -> list[str]:
        out: list[str] = []
        for block in self.blocks:
            out.extend([block] if isinstance(block, str) else block[1])
        return [" ".join(line.split()) for line in out]


@dataclass
class Page:
    path: str
    markup: str
    variant: str
    tz: str
    fetched: str  # UTC ISO
    art: dict
    site: str
    base: str  # site root URL, ends with /
    url: str  # the article's canonical URL
    published: datetime
    tagline: str = ""
    encoding: str = "utf-8"
    comments: list = field(default_factory=list)
    html: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @property
    def fetched_dt(self) -> datetime:
        return datetime.fromisoformat(self.fetched)

    @property
    def paras(self) -> list[str]:
        return self.art["paras"]


class Deck:
    """Deal items without replacement; reshuffle when the pile runs out."""

    def __init__(self, items: list):
        self.items = list(items)
        self.pile: list = []

    def draw(self, avoid=()):
        for _ in range(2 * len(self.items)):
            if not self.pile:
                self.pile = self.items[:]
                RNG.shuffle(self.pile)
            item = self.pile.pop()
            if item not in avoid:
                return item
        return item


GENERIC_DECK = Deck(GENERIC)
REPLY_DECK = Deck(REPLIES)
OWNER_DECK = Deck(OWNER_REPLIES)
AUTHOR_DECK = Deck(AUTHORS)


def as_blocks(text) -> list:
    return list(text) if isinstance(text, list) else [text]


def slug(text: str) -> str:
    ascii_ = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "x"


def author_homepage(name: str) -> str:
    s = slug(name).replace("-", "")
    return RNG.choice(
        [
            f"http://{s}.blogspot.com/",
            f"https://www.{s}.net/",
            f"http://{s}.wordpress.com/",
            f"https://{s}.example.org/",
            f"http://www.{s}.com/blog/",
        ]
    )


def populate(p: Page, depths: list[int], *, url_rate=0.3, owner_rate=0.0, topical=True) -> list[Comment]:
    """Comments in document order; depths[i] is comment i's thread depth (1 = top level)."""
    talk = deque(p.art["talk"] if topical else [])
    comments: list[Comment] = []
    stack: list[Comment] = []
    used: set[str] = {p.art["byline"]}
    for depth in depths:
        parent = stack[depth - 2] if depth > 1 else None
        stack = stack[: depth - 1]
        owner = False
        if parent is None:
            blocks = as_blocks(talk.popleft() if talk else GENERIC_DECK.draw())
            author = AUTHOR_DECK.draw(avoid=used)
        elif owner_rate and not parent.owner and RNG.random() < owner_rate:
            owner = True
            author = p.art["byline"]
            blocks = [fill(s, parent.author) for s in as_blocks(OWNER_DECK.draw())]
        else:
            author = AUTHOR_DECK.draw(avoid=used | {parent.author})
            blocks = [fill(s, parent.author) for s in as_blocks(REPLY_DECK.draw())]
        if not owner:
            used.add(author)
        url = author_homepage(author) if (not owner and RNG.random() < url_rate) else None
        if owner:
            url = p.base
        c = Comment(author=author, blocks=blocks, url=url, depth=depth, parent=parent, owner=owner)
        comments.append(c)
        stack.append(c)
    return comments


def rename(comments, c: Comment, name: str, url="keep"):
    """Change a commenter's name after the fact, including where replies address them."""
    old = c.author
    c.author = name
    c.url = (author_homepage(name) if c.url else None) if url == "keep" else url
    for r in comments:
        if r.parent is c:
            r.blocks = [
                b.replace(old, name) if isinstance(b, str) else (b[0], [x.replace(old, name) for x in b[1]])
                for b in r.blocks
            ]


def fill(template: str, name: str) -> str:
    return template.format(p=name).replace(name + "..", name + ".")


def assign_times(p: Page, comments, start: datetime, top=(20, 600), reply=(5, 240), seconds=False):
    """Give comments increasing instants (replies after their parent); elapsed-time arithmetic."""
    t = start.astimezone(UTC)
    last_child: dict[int, datetime] = {}
    for c in comments:
        if c.kind != "comment" and c.extra.get("no_time"):
            continue
        if c.parent is None:
            t = t + timedelta(minutes=RNG.randint(*top))
            when = t
        else:
            base = last_child.get(id(c.parent), c.parent.when)
            when = base + timedelta(minutes=RNG.randint(*reply))
            last_child[id(c.parent)] = when
        if seconds:
            when += timedelta(seconds=RNG.randint(0, 59))
        c.when = when
    for c in comments:
        if c.when is not None:
            c.when = c.when.astimezone(p.zone)


def number_chrono(comments, start: int, step=(1, 25)):
    """Engine ids grow with posting time (other posts' comments take ids in between)."""
    n = start
    for c in sorted([c for c in comments if c.when is not None], key=lambda c: c.when):
        n += RNG.randint(*step)
        c.num = n
    for c in comments:  # pings without a time
        if c.when is None:
            n += RNG.randint(*step)
            c.num = n


def children(comments, parent):
    return [c for c in comments if c.parent is parent]
