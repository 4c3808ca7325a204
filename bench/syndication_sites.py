"""The fictional sites of the syndication corpus and their HTML templates.

Every site renders the same page data through its own markup (class names, nav, sidebar,
byline, footer, where the body sits) so that a dedup pipeline sees the article only after
boilerplate removal, as with real syndication partners.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from html import escape

from bench import syndication_traits as traits

# Shared verbatim by the boilerplate negatives: long enough to make their shingle sets overlap
# noticeably, and inside the article body, so extraction alone cannot remove it.
DISCLAIMER = (
    "Important notice: The information in this article is provided for general information purposes only "
    "and does not constitute investment, financial, legal or tax advice, nor an offer or solicitation to buy "
    "or sell any security or financial instrument. Past performance is not a reliable indicator of future "
    "results, and the value of investments and the income from them can fall as well as rise.",
    "The Market Ledger and its contributors may hold positions in the companies mentioned. Figures quoted "
    "were believed to be accurate at the time of publication but are not guaranteed, and readers should seek "
    "independent professional advice before making any decision based on this material. Reproduction of "
    "this article, in whole or in part, without the written permission of the publisher is prohibited.",
)


@dataclass(frozen=True)
class Site:
    domain: str
    name: str
    kind: str  # wire | news | blog
    city: str  # where the site's local paragraphs are set
    prefix: str  # class-name prefix, so no two templates share class names
    body: tuple[str, str]  # tag and attributes of the element that holds the article text
    nav: tuple[str, ...]
    sidebar: str
    byline: str
    date_fmt: str
    footer: str
    newsletter: str
    sidebar_first: bool
    title_sep: str
    extras: frozenset[str]


_TABLE = """
wire | presswire.example | Presswire | Washington | pw-
wire | cns-news.example | Continental News Service | Chicago | cns_
wire | unionpress.example | Union Press Agency | New York | upa-
news | dailyherald.example | The Daily Herald | Fairhaven | dh-
news | riverdaletimes.example | Riverdale Times | Riverdale | rt_
news | metrojournal.example | Metro Journal | Lakeport | mj-
news | coastalobserver.example | The Coastal Observer | Bayview | co-
news | valleygazette.example | Valley Gazette | Millbrook | vg_
news | thecitypost.example | The City Post | Easton | cp-
news | marketledger.example | The Market Ledger | Hartford | ml_
news | eveningsentinel.example | Evening Sentinel | Ashford | es-
news | capitalreview.example | Capital Review | Springfield | cr_
blog | thinkingoutloud.example | Thinking Out Loud | | tol-
blog | policywonk.example | The Policy Wonk | | pwk-
blog | localmatters.example | Local Matters | | lm_
blog | mediawatchblog.example | Media Watch Blog | | mw-
blog | grumpyeditor.example | The Grumpy Editor | | ge_
"""


def _site(n: int, row: str) -> Site:
    kind, domain, name, city, prefix = (part.strip() for part in row.split("|"))
    blog = kind == "blog"

    def pick(options: tuple | list, blog_options: tuple | list | None = None, cycle: int = 0) -> str:
        if blog and blog_options is not None:
            return blog_options[n % cycle]
        return options[n % len(options)]

    nav = pick(traits.NAVS, traits.BLOG_NAVS, len(traits.BLOG_NAVS))
    return Site(
        domain, name, kind, city, prefix,
        pick(traits.BODIES, traits.BLOG_BODIES, 5), tuple(nav.split(",")),
        pick(traits.SIDEBARS), pick(traits.BYLINES, traits.BLOG_BYLINES, 5),
        pick(traits.DATES), pick(traits.FOOTERS).format(name=name),
        pick(traits.LETTERS).format(name=name), n % 2 == 1, pick(traits.SEPS),
        frozenset(pick(traits.EXTRAS).split()),
    )  # fmt: skip


SITES = tuple(_site(n, row) for n, row in enumerate(_TABLE.strip().splitlines()))
WIRES = tuple(s for s in SITES if s.kind == "wire")
NEWS = tuple(s for s in SITES if s.kind == "news")
BLOGS = tuple(s for s in SITES if s.kind == "blog")
FINANCE = NEWS[6]  # the site whose markets stories carry DISCLAIMER


@dataclass
class Page:
    site: Site
    headline: str
    author: str
    published: datetime
    url: str
    canonical: str
    og_url: str
    blocks: list[tuple[str, str]]  # (kind, text), kind: p, quote, note, credit, disclaimer
    links: list[tuple[str, str]]  # sidebar (title, href)
    comments: list[tuple[str, datetime, str]] = field(default_factory=list)
    # How the page states its publication time: "meta" (article:published_time), "json-ld"
    # (only JSON-LD datePublished), "microdata" (itemprop), "time" (only <time datetime>),
    # "none" (only its URL's date), written in the site's UTC offset (hours).
    date_markup: str = "meta"
    utc_offset: int = 0


def stamp(when: datetime, offset: int = 0) -> str:
    """A naive UTC time as ISO 8601: "Z", or written in a zone ``offset`` hours from UTC."""
    if not offset:
        return when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return when.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=offset))).isoformat()


def _date_meta(page: Page) -> list[str]:
    when = stamp(page.published, page.utc_offset)
    if page.date_markup == "meta":
        return [f'<meta property="article:published_time" content="{when}">']
    if page.date_markup == "json-ld":
        data = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": page.headline,
                "datePublished": when}  # fmt: skip
        return [f'<script type="application/ld+json">{json.dumps(data)}</script>']
    return []


def _el(tag: str, cls: str, *inner: str, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_")}="{escape(v)}"' for k, v in attrs.items())
    return f'<{tag} class="{cls}"{extra}>' + "".join(inner) + f"</{tag}>"


def _body(page: Page) -> str:
    # Consecutive quoted paragraphs share one <blockquote>, as bloggers paste them.
    out, quoting = [], False
    for kind, text in page.blocks:
        if quoting and kind != "quote":
            out.append("</blockquote>")
        if kind == "quote" and not quoting:
            out.append("<blockquote>")
        quoting = kind == "quote"
        cls = "" if kind in ("p", "quote") else f' class="{page.site.prefix}{kind}"'
        out.append(f"<p{cls}>" + (f"<em>{escape(text)}</em>" if kind == "note" else escape(text)) + "</p>")
    if quoting:
        out.append("</blockquote>")
    tag, attrs = page.site.body
    return f"<{tag} {attrs}>\n" + "\n".join(out) + f"\n</{tag}>"


def _head(page: Page, amp: bool = False) -> str:
    s = page.site
    metas = [
        '<meta charset="utf-8">',
        f"<title>{escape(page.headline)}{s.title_sep}{escape(s.name)}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<link rel="canonical" href="{escape(page.canonical)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:site_name" content="{escape(s.name)}">',
        f'<meta property="og:title" content="{escape(page.headline)}">',
        f'<meta property="og:url" content="{escape(page.og_url)}">',
        *_date_meta(page),
        f'<meta name="author" content="{escape(page.author)}">',
        f'<link rel="stylesheet" href="https://{s.domain}/static/{s.prefix}main.css">',
    ]
    if amp:
        metas += ['<script async src="https://cdn.ampproject.org/v0.js"></script>', "<style amp-boilerplate></style>"]
    return f'<!DOCTYPE html>\n<html {"amp " if amp else ""}lang="en">\n<head>\n' + "\n".join(metas) + "\n</head>\n"


def _links(page: Page, title: str, cls: str) -> str:
    items = "".join(f'<li><a href="{escape(href)}">{escape(text)}</a></li>' for text, href in page.links)
    return _el("aside", cls, f"<h3>{escape(title)}</h3><ul>{items}</ul>")


def _time(page: Page) -> str:
    shown = (page.published + timedelta(hours=page.utc_offset)).strftime(page.site.date_fmt)
    if page.date_markup == "none":
        return f"<span>{shown}</span>"
    if page.date_markup == "microdata":
        return f'<span itemprop="datePublished" content="{stamp(page.published, page.utc_offset)}">{shown}</span>'
    return f'<time datetime="{stamp(page.published, page.utc_offset)}">{shown}</time>'


def _footer(site: Site) -> str:
    p, home = site.prefix, f"https://{site.domain}/"
    form = '<form><input type="email" placeholder="Email address"><button>Subscribe</button></form>'
    letter = _el("div", f"{p}newsletter", f"<p>{escape(site.newsletter)}</p>", form)
    links = " ".join(f'<a href="{home}{w}/">{w.title()}</a>' for w in ("about", "contact", "privacy", "terms"))
    legal = _el("p", f"{p}copyright", escape(site.footer))
    return _el("footer", f"{p}footer", letter, _el("nav", f"{p}footer-links", links), legal) + "\n"


def _nav(site: Site, cls: str = "masthead") -> str:
    p, home = site.prefix, f"https://{site.domain}/"
    items = "".join(f'<li><a href="{home}{n.lower().replace(" ", "-")}/">{escape(n)}</a></li>' for n in site.nav)
    logo = _el("a", f"{p}logo", escape(site.name), href=home)
    return _el("header", f"{p}{cls}", logo, _el("nav", f"{p}nav", f"<ul>{items}</ul>")) + "\n"


def render(page: Page, variant: str = "") -> str:
    """The saved HTML of ``page``; the "amp" and "mobile" variants use lighter templates."""
    s, p = page.site, page.site.prefix
    byline = escape(s.byline.format(author=page.author))
    if variant == "amp":
        top = f"<h1>{escape(page.headline)}</h1>" + _el("p", "amp-byline", byline, " · ", _time(page))
        article = _el("article", "amp-article", top, "\n", _body(page), "\n")
        header, footer = _el("header", "amp-header", escape(s.name)), _el("footer", "amp-footer", escape(s.footer))
        return _head(page, amp=True) + f"<body>\n{header}\n{article}\n{footer}\n</body>\n</html>\n"
    if s.kind == "blog":
        return _head(page) + _blog(page, byline) + "</html>\n"
    mobile = variant == "mobile"
    main = [
        _el("h1", f"{p}headline", escape(page.headline)) + "\n",
        _el("div", f"{p}byline", _el("span", f"{p}author", byline), " ", _time(page)) + "\n",
    ]
    if "breadcrumbs" in s.extras and not mobile:
        crumbs = f'<li><a href="https://{s.domain}/">Home</a></li><li>{escape(s.nav[1])}</li>'
        main.insert(0, _el("ol", f"{p}breadcrumbs", crumbs) + "\n")
    if "share" in s.extras:
        main.append(_el("ul", f"{p}share", "<li>Share on Facebook</li><li>Share on X</li><li>Email</li>") + "\n")
    main.append(_body(page) + "\n")
    if "ad" in s.extras and not mobile:
        main.append(_el("div", f"{p}ad-slot", "<span>Advertisement</span>") + "\n")
    if "tags" in s.extras:
        topic = f'<a href="https://{s.domain}/topic/{s.nav[2].lower()}/">{escape(s.nav[2])}</a>'
        main.append(_el("div", f"{p}tags", "Topics: ", topic) + "\n")
    if "related_below" in s.extras:
        main.append(_links(page, "Read more", f"{p}related-below") + "\n")
    column = _el("div", f"{p}article-wrap", "\n", *main) + "\n"
    side = "" if mobile else _links(page, s.sidebar, f"{p}sidebar") + "\n"
    inner = side + column if s.sidebar_first else column + side
    body = _nav(s) + _el("main", f"{p}main", "\n", inner) + "\n" + _footer(s)
    return _head(page) + _el("body", f"{p}page{' mobile' if mobile else ''}", "\n", body) + "\n</html>\n"


def _blog(page: Page, byline: str) -> str:
    s, p = page.site, page.site.prefix
    thread = []
    for n, (who, when, text) in enumerate(page.comments, 1):
        meta = _el("div", f"{p}comment-meta", f'<time datetime="{stamp(when)}">{when.strftime(s.date_fmt)}</time>')
        said = _el("div", f"{p}comment-text", f"<p>{escape(text)}</p>")
        thread.append(
            _el(
                "li",
                f"{p}comment",
                _el("div", f"{p}comment-author", f"<cite>{escape(who)}</cite> says:"),
                meta,
                said,
                id=f"comment-{n}",
            )
        )
    comments = _el(
        "div", f"{p}comments", f"<h4>{len(thread)} comments:</h4>", _el("ol", f"{p}commentlist", *thread), id="comments"
    )
    title = _el("h2", f"{p}blog-title", f'<a href="https://{s.domain}/">{escape(s.name)}</a>')
    header = _el("div", f"{p}header", title, _el("p", f"{p}tagline", "Notes on the news, mostly."), id="header")
    post = _el(
        "div", f"{p}post hentry", "\n", _el("h1", f"{p}post-title entry-title", escape(page.headline)), "\n",
        _el("div", f"{p}post-header", byline, " on ", _time(page)), "\n", _body(page), "\n",
        _el("div", f"{p}post-footer", "Labels: news, media"), "\n",
    )  # fmt: skip
    side, foot = _links(page, s.sidebar, f"{p}sidebar"), _el("div", f"{p}footer", escape(s.footer))
    wrapper = _el(
        "div",
        f"{p}wrapper",
        header,
        "\n",
        _nav(s, "topbar"),
        post,
        "\n",
        comments,
        "\n",
        side,
        "\n",
        foot,
        id="wrapper",
    )
    return _el("body", f"{p}blog", "\n", wrapper, "\n") + "\n"
