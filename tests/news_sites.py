"""Small news sites written into a folder that the HTTP tests serve: articles with their
own words, an RSS feed, sitemaps and paginated sections, changed between runs by the
test (a new post, a template change, a feed gone). Used by tests/test_health.py,
tests/test_polling.py and tests/test_backfill.py."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

# The vocabulary of the generated articles, as prose is easier to read than a list.
WORDS = (  # noqa: SIM905
    "council budget harbour river bridge school hospital election mayor farmers market storm rail "
    "museum library festival court ruling police station tram line housing plan water supply port "
    "workers union strike talks minister visit report audit contract road repairs park trees winter "
    "summer season league match final coach players fans stadium ticket prices tourism hotel beach"
).split()


def paragraphs(seed: str, count: int = 5, words: int = 45) -> list[str]:
    """Text of its own for each article (the same paragraph on three pages is boilerplate)."""
    rng = random.Random(seed)
    return [" ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "." for _ in range(count)]


def article_html(title: str, author: str, published: datetime, body: list[str]) -> str:
    text = "\n".join(f"<p>{escape(p)}</p>" for p in body)
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{escape(title)} | Test Times</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published.isoformat()}">
</head><body>
<nav><a href="/">Home</a> <a href="/about.html">About</a></nav>
<article><h1 class="entry-title">{escape(title)}</h1>
<p class="byline">By <a rel="author" href="/author/x">{escape(author)}</a>, {published:%B %d, %Y}</p>
<div class="entry-content">{text}</div></article>
<footer>Test Times, 1 Test Street</footer></body></html>"""


def rss(title: str, items: list[tuple[str, str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{when:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>\n"
        for t, link, when in items
    )
    return (
        f'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>{escape(title)}</title>\n{entries}</channel></rss>'
    )


def urlset(entries: list[tuple[str, datetime | None]], news: bool = False) -> str:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    rows = []
    for loc, when in entries:
        date = ""
        if when is not None:
            date = (
                f"<news:news><news:publication_date>{when.isoformat()}</news:publication_date></news:news>"
                if news
                else f"<lastmod>{when:%Y-%m-%d}</lastmod>"
            )
        rows.append(f"<url><loc>{escape(loc)}</loc>{date}</url>")
    body = "\n".join(rows)
    return f'<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n{body}\n</urlset>'


def sitemap_index(children: list[tuple[str, datetime | None]]) -> str:
    rows = "\n".join(
        f"<sitemap><loc>{escape(loc)}</loc>" + (f"<lastmod>{when:%Y-%m-%d}</lastmod>" if when else "") + "</sitemap>"
        for loc, when in children
    )
    return f'<?xml version="1.0"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}\n</sitemapindex>'


@dataclass
class Post:
    slug: str
    published: datetime
    title: str

    @property
    def path(self) -> str:
        """Relative to the site's folder; the date in the URL as news sites put it."""
        return f"{self.published:%Y/%m/%d}/{self.slug}.html"


@dataclass
class Site:
    """One source's site in ``root/name/``, its feed at ``name/feed.xml``."""

    root: Path
    name: str
    posts: list[Post] = field(default_factory=list)
    teaser_only: bool = False

    @property
    def folder(self) -> Path:
        return self.root / self.name

    def publish(self, when: datetime) -> Post:
        post = Post(f"{self.name}-{len(self.posts) + 1}", when, f"{self.name.title()} story {len(self.posts) + 1}")
        self.posts.append(post)
        self.write_post(post)
        self.write_feed()
        return post

    def write_post(self, post: Post) -> None:
        # A template change: the body becomes a teaser pointing to the app.
        body = ["Read this story in our app."] if self.teaser_only else paragraphs(post.slug)
        page = self.folder / post.path
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(article_html(post.title, "Ann Writer", post.published, body), encoding="utf-8")

    def change_template(self) -> None:
        self.teaser_only = True
        for post in self.posts:
            self.write_post(post)

    def write_feed(self, last: int = 10) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        newest = sorted(self.posts, key=lambda p: p.published, reverse=True)[:last]
        items = [(p.title, p.path, p.published) for p in newest]
        (self.folder / "feed.xml").write_text(rss(self.name, items), encoding="utf-8")

    def source_toml(self, **extra: str) -> str:
        lines = [
            "[[source]]",
            f'name = "{self.name}"',
            f'home = "https://{self.name}.example/"',
            f'feeds = ["{self.name}/feed.xml"]',
            "article_pattern = '/\\d{4}/\\d{2}/\\d{2}/'",
            "local = true",
            *(f"{key} = {value}" for key, value in extra.items()),
        ]
        return "\n".join(lines) + "\n"
