"""The pages: registry, page constructor and shared page helpers."""

from __future__ import annotations

import json
import tomllib

from .bank import ARTICLES, DATA, RNG
from .chrome_wp_document import wp_document
from .dates import iso, local, show_all
from .markup_text import on_date_said_comments
from .markup_wordpress import wordpress_comments
from .model import Page, assign_times, number_chrono
from .text import post_url, texturize_comment

PAGES: list = []

SPECS: dict[str, dict] = tomllib.loads((DATA / "pages.toml").read_text(encoding="utf-8"))


def page(fn):
    PAGES.append(fn)
    return fn


def new_page(
    path,
    markup,
    variant,
    tz,
    fetched,
    art,
    site,
    base,
    published,
    *,
    tagline="",
    url_style="wp",
    encoding="utf-8",
    url=None,
) -> Page:
    a = ARTICLES[art]
    pub = local(tz, *published)
    return Page(
        path=path,
        markup=markup,
        variant=variant,
        tz=tz,
        fetched=fetched,
        art=a,
        site=site,
        base=base,
        url=url or post_url(base, pub, a["title"], url_style),
        published=pub,
        tagline=tagline,
        encoding=encoding,
    )


def votes_for(comments, lo=0, hi=40):
    for c in comments:
        c.votes = RNG.randint(lo, hi)


def minx_hash() -> str:
    return "".join(RNG.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(5))


def typepad_xid() -> str:
    return "6a00d8341c" + f"{RNG.getrandbits(96):024x}"


def blogger_profile() -> str:
    return f"https://www.blogger.com/profile/{RNG.randint(10**19, 10**20 - 1)}"


def blogger_ids(comments):
    for c in comments:
        c.num = RNG.randint(10**18, 10**19 - 1)


def yoast_jsonld(p: Page, count: int) -> str:
    data = {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "WebSite",
                "@id": f"{p.base}#website",
                "url": p.base,
                "name": p.site,
                "potentialAction": [
                    {
                        "@type": "SearchAction",
                        "target": f"{p.base}?s={{search_term_string}}",
                        "query-input": "required name=search_term_string",
                    }
                ],
            },
            {
                "@type": "WebPage",
                "@id": f"{p.url}#webpage",
                "url": p.url,
                "name": f"{p.art['title']} - {p.site}",
                "isPartOf": {"@id": f"{p.base}#website"},
                "datePublished": iso(p.published),
            },
            {
                "@type": "Article",
                "@id": f"{p.url}#article",
                "isPartOf": {"@id": f"{p.url}#webpage"},
                "author": {"@id": f"{p.base}#/schema/person/1"},
                "headline": p.art["title"],
                "datePublished": iso(p.published),
                "commentCount": count,
                "mainEntityOfPage": {"@id": f"{p.url}#webpage"},
                "articleSection": [p.art["category"]],
                "inLanguage": "en-US",
                "potentialAction": [{"@type": "CommentAction", "name": "Comment", "target": [f"{p.url}#respond"]}],
            },
            {"@type": "Person", "@id": f"{p.base}#/schema/person/1", "name": p.art["byline"]},
        ],
    }
    return (
        '<script type="application/ld+json" class="yoast-schema-graph">'
        + json.dumps(data, ensure_ascii=False)
        + "</script>"
    )


def stamp(p: Page, cs: list, pattern: str, start=None, *, first_id=None, texturize=False, **times):
    """Give the comments their times, the dates the page shows and engine ids; texturize them (WordPress)."""
    assign_times(p, cs, p.published if start is None else start, **times)
    show_all(cs, pattern)
    if first_id is not None:
        number_chrono(cs, first_id)
    if texturize:
        for c in cs:
            texturize_comment(c)


def wp_page(p: Page, comment_theme: str, *, post_id: int, **document) -> str:
    """A WordPress page whose comments the core walker prints in ``comment_theme``."""
    return wp_document(p, wordpress_comments(p, comment_theme, post_id=post_id), post_id=post_id, **document)


def said_page(p: Page, comment_theme: str, *, theme: str, generator: str) -> str:
    """A classic WordPress page with an "on DATE NAME said" comment theme."""
    return wp_document(
        p,
        on_date_said_comments(p, comment_theme),
        theme=theme,
        generator=generator,
        post_id=RNG.randint(1000, 9999),
        classic=True,
    )


def spec_page(name: str) -> Page:
    """The page that data/pages.toml describes under ``name`` (the page function's name)."""
    return new_page(**SPECS[name])
