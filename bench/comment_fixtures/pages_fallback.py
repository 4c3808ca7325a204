"""The pages: fallback (no known comment markup)."""

from __future__ import annotations

from .bank import RNG
from .chrome_news import forum_document, news_document
from .dates import F_EU_LONG, F_WEEKDAY, set_relative
from .markup_fallback import fallback_comments
from .model import populate, slug
from .pages_base import page, spec_page, stamp, votes_for

# --- fallback --------------------------------------------------------------------------


@page
def fallback_table():
    p = spec_page("fallback_table")
    cs = populate(p, [1] * 6, url_rate=0.0)
    for c, when in zip(
        cs,
        ["3 days ago", "2 days ago", "yesterday at 4:12 pm", "today at 9:05 am", "3 hours ago", "45 minutes ago"],
        strict=True,
    ):
        set_relative(p, c, when)
    votes_for(cs, 0, 30)
    for c in cs:  # the name links to the member's profile page
        c.url = f"{p.base}members/{slug(c.author)}.{RNG.randint(1000, 99999)}/"
    p.comments = cs
    p.html = forum_document(p, fallback_comments(p, "table"), forum="CivicTalk")
    return p


@page
def fallback_notes():
    p = spec_page("fallback_notes")
    cs = populate(p, [1] * 6, url_rate=0.0)
    for c, when in zip(
        cs,
        ["2 days ago", "yesterday at 8:47 pm", "5 hours ago", "3 hours ago", "an hour ago", "12 minutes ago"],
        strict=True,
    ):
        set_relative(p, c, when)
    cs[3].edited = True
    p.comments = cs
    p.html = news_document(p, fallback_comments(p, "notes"))
    return p


@page
def fallback_letters():
    p = spec_page("fallback_letters")
    cs = populate(p, [1] * 4, url_rate=0.0)
    p.comments = cs
    stamp(p, cs, F_EU_LONG, top=(60, 900))
    p.html = news_document(p, fallback_comments(p, "letters"))
    return p


@page
def fallback_talkback():
    p = spec_page("fallback_talkback")
    cs = populate(p, [1] * 5, url_rate=0.0)
    cs[2].blocks = [
        "Sowing in our block is less than half of last year.",
        "The canal water also came late, so even irrigated land is waiting.",
    ]
    p.comments = cs
    stamp(p, cs, F_WEEKDAY, top=(30, 600))
    p.html = news_document(p, fallback_comments(p, "talkback"))
    return p
