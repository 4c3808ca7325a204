"""Recrawl scenario: the same article fetched twice, with and without site ids."""

from __future__ import annotations

import copy

from .bank import RNG
from .chrome_mt import mt_document
from .chrome_wp_document import wp_document
from .dates import F_MINX, F_WP, fmt, local, show_all
from .markup_text import posted_by_comments
from .markup_wordpress import wordpress_comments
from .model import Comment, Page, assign_times, populate
from .pages_base import minx_hash, new_page
from .text import texturize, texturize_comment


def build_recrawl() -> dict:
    """The same WordPress article fetched twice, and the same Minx article (no ids) twice."""
    p1, p2, after = recrawl_wordpress()
    n1, n2, nosid_after = recrawl_nosid()
    return {"pages": [p1, p2, n1, n2], "after": after, "nosid_after": nosid_after}


def recrawl_wp_html(p: Page) -> str:
    return wp_document(
        p,
        wordpress_comments(p, "twentynineteen", post_id=7310),
        theme="twentytwenty",
        generator="WordPress 5.3.2",
        post_id=7310,
    )


def recrawl_wordpress() -> tuple[Page, Page, list]:
    tz = "America/Chicago"
    canonical = "https://www.lakeviewgazette.example.com/2020/02/snow-emergency-declared/"
    p1 = new_page(
        "recrawl/v1/index.html",
        "wordpress",
        "WordPress 5.3, oldest first",
        tz,
        "2020-02-10T01:00:00+00:00",
        "snowemergency",
        "Lakeview Gazette",
        "https://www.lakeviewgazette.example.com/",
        (2020, 2, 9, 14, 30),
        url=canonical,
        tagline="Lakeview's neighborhood paper",
    )
    talk = p1.art["talk"]
    v1 = recrawl_v1_comments(tz, talk)
    for c in v1:
        c.shown = fmt(c.when, F_WP)
        texturize_comment(c)
    p1.comments = v1
    state = RNG.getstate()  # same chrome in both fetches
    p1.html = recrawl_wp_html(p1)
    v2, d13, d15 = recrawl_v2_comments(tz, talk, v1)
    p2 = Page(
        **{
            **p1.__dict__,
            "path": "recrawl/v2/index.html",
            "fetched": "2020-02-12T18:00:00+00:00",
            "variant": "WordPress 5.3, newest first (comment_order=desc)",
            "comments": v2,
        }
    )
    after_v2 = RNG.getstate()
    RNG.setstate(state)
    p2.html = recrawl_wp_html(p2)
    RNG.setstate(after_v2)
    c11, c14, c12, _c13 = v1
    return p1, p2, [c11, c14, c12, d13, d15]


def recrawl_v1_comments(tz: str, talk: list) -> list[Comment]:
    c11 = Comment(author="Meg O'Malley", blocks=[talk[0]], num=11, when=local(tz, 2020, 2, 9, 16, 5))
    c12 = Comment(author="Gordon McAllister", blocks=[talk[1]], num=12, when=local(tz, 2020, 2, 9, 16, 40))
    c13 = Comment(
        author="Denise W.",
        blocks=[talk[2]],
        num=13,
        when=local(tz, 2020, 2, 9, 17, 22),
        url="https://denisew.example.org/",
    )
    c14 = Comment(
        author="Lakeview Gazette",
        blocks=["@Meg O'Malley Public works says the Elm Street signs will be replaced before the next storm."],
        num=14,
        when=local(tz, 2020, 2, 9, 18, 10),
        depth=2,
        parent=c11,
        owner=True,
        url="https://www.lakeviewgazette.example.com/",
    )
    return [c11, c14, c12, c13]


def recrawl_v2_comments(tz: str, talk: list, v1: list) -> tuple[list, Comment, Comment]:
    """v2: comment-12 deleted by moderation, comment-13 edited, comment-15 new, newest first."""
    c11, c14, _c12, c13 = v1
    m = {id(c): copy.copy(c) for c in v1}
    for c in m.values():
        if c.parent is not None:
            c.parent = m[id(c.parent)]
    d11, d14, d13 = m[id(c11)], m[id(c14)], m[id(c13)]
    d13.blocks = [
        texturize(talk[2] + " Update: the city says it will waive the fees for Elm Street, where the signs were down.")
    ]
    d15 = Comment(author="Paula Greenfield", blocks=[texturize(talk[3])], num=15, when=local(tz, 2020, 2, 10, 7, 31))
    d15.shown = fmt(d15.when, F_WP)
    v2 = [d15, d13, d11, d14]
    return v2, d13, d15


def recrawl_nosid() -> tuple[Page, Page, list]:
    """Minx without any comment ids: v2 appends one comment."""
    tz = "America/Chicago"
    n1 = new_page(
        "recrawl/nosid/v1.html",
        "posted-by",
        "Minx 0.7, no comment anchors",
        tz,
        "2014-07-08T12:00:00+00:00",
        "fireworks",
        "Vanfield's Village Voice",
        "http://www.vanfield.mu.nu/",
        (2014, 7, 7, 21, 30),
        url="http://www.vanfield.mu.nu/archives/372201.html",
        tagline="Small town, big opinions",
    )
    ncs = populate(n1, [1, 1, 1], url_rate=0.5)
    for c in ncs:
        c.extra["hash"] = minx_hash()
    n1.comments = ncs
    assign_times(n1, ncs, n1.published, top=(20, 200))
    show_all(ncs, F_MINX)
    extra_hash = minx_hash()
    state = RNG.getstate()
    n1.html = mt_document(n1, posted_by_comments(n1, "minx", anchors=False), kind="minx")
    extra = Comment(
        author="oldsarge",
        blocks=["Enforcement will be one deputy and a flashlight. Enjoy the show."],
        when=local(tz, 2014, 7, 9, 8, 14),
        extra={"hash": extra_hash},
    )
    extra.shown = fmt(extra.when, F_MINX)
    n2 = Page(
        **{
            **n1.__dict__,
            "path": "recrawl/nosid/v2.html",
            "fetched": "2014-07-10T12:00:00+00:00",
            "comments": [*ncs, extra],
        }
    )
    RNG.setstate(state)
    n2.html = mt_document(n2, posted_by_comments(n2, "minx", anchors=False), kind="minx")
    return n1, n2, [*ncs, extra]
