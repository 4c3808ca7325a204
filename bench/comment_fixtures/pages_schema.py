"""The pages: schema.org microdata and JSON-LD."""

from __future__ import annotations

from datetime import datetime

from .chrome_news import forum_document, news_document
from .dates import F_DATE, F_MONTH_DAY_TIME, F_MT, F_SHORT_EU, F_UK_NUM, F_US_SHORT, show_all
from .markup_blogger import microdata_comments
from .markup_jsonld import jsonld_comments
from .model import Page, assign_times, number_chrono, populate, rename
from .pages_base import page, spec_page, stamp, votes_for

# --- schema-microdata -------------------------------------------------------------------


@page
def micro_comment_person():
    p = spec_page("micro_comment_person")
    cs = populate(p, [1, 2, 1, 1, 2], url_rate=0.3)
    p.comments = cs
    stamp(p, cs, F_DATE, top=(20, 600), first_id=70)
    p.html = news_document(
        p,
        microdata_comments(p, "comment"),
        article_attrs=' itemscope itemtype="https://schema.org/NewsArticle"',
        body_prop=' itemprop="articleBody"',
    )
    return p


@page
def micro_usercomments():
    p = spec_page("micro_usercomments")
    cs = populate(p, [1] * 5, url_rate=0.3)
    p.comments = cs
    stamp(p, cs, F_MT, top=(20, 400), first_id=1020)
    p.html = news_document(
        p,
        microdata_comments(p, "usercomments"),
        article_attrs=' itemscope itemtype="http://schema.org/Article"',
        body_prop=' itemprop="articleBody"',
        nav=["Home", "Major League", "Minors", "Prospects", "Draft"],
    )
    return p


def relative_label(p: Page, when: datetime) -> str:
    minutes = int((p.fetched_dt - when).total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} minutes ago"
    hours = minutes // 60
    return "1 hour ago" if hours == 1 else f"{hours} hours ago"


@page
def micro_relative():
    p = spec_page("micro_relative")
    cs = populate(p, [1, 1, 2, 1, 2], url_rate=0.2)
    p.comments = cs
    assign_times(p, cs, p.published, top=(20, 130), reply=(5, 60), seconds=True)
    for c in cs:
        c.shown = relative_label(p, c.when)
    number_chrono(cs, 300)
    p.html = news_document(
        p,
        microdata_comments(p, "relative"),
        article_attrs=' itemscope itemtype="https://schema.org/NewsArticle"',
        body_prop=' itemprop="articleBody"',
        nav=["Smartphones", "Computer", "Netz", "Energie", "Tests"],
    )
    return p


@page
def micro_meta_nz():
    p = spec_page("micro_meta_nz")
    cs = populate(p, [1, 2, 1, 1, 2, 1], url_rate=0.0)
    p.comments = cs
    stamp(p, cs, F_MONTH_DAY_TIME, top=(20, 400))
    p.html = news_document(
        p,
        microdata_comments(p, "meta"),
        article_attrs=' itemscope itemtype="https://schema.org/NewsArticle"',
        body_prop=' itemprop="articleBody"',
        nav=["Local", "Rural", "Sport", "Weather", "Notices"],
    )
    return p


# --- schema-jsonld ----------------------------------------------------------------------


def jsonld_script(ld: str) -> str:
    return f'<script type="application/ld+json">\n{ld}\n</script>'


@page
def jsonld_nested():
    p = spec_page("jsonld_nested")
    cs = populate(p, [1, 2, 3, 1, 2, 1], url_rate=0.4)
    p.comments = cs
    assign_times(p, cs, p.published, top=(30, 500))
    show_all(cs, "{dd}.{MM}.{yyyy} {HH}:{mm}")
    number_chrono(cs, 0, step=(1, 1))
    visible, ld = jsonld_comments(p, "nested")
    p.html = news_document(
        p, visible, head_extra=jsonld_script(ld), nav=["Wärmepumpen", "Solar", "Förderung", "Praxis"]
    )
    return p


@page
def jsonld_graph():
    p = spec_page("jsonld_graph")
    cs = populate(p, [1, 2, 1, 1, 2, 2], url_rate=0.2)
    rename(cs, cs[0], "Tomás Ortega")
    p.comments = cs
    stamp(p, cs, F_UK_NUM, top=(5, 120), reply=(3, 60), first_id=880)
    visible, ld = jsonld_comments(p, "graph")
    p.html = news_document(p, visible, head_extra=jsonld_script(ld), nav=["Futebol", "Estaduais", "Série B", "Vídeos"])
    return p


@page
def jsonld_forum():
    p = spec_page("jsonld_forum")
    cs = populate(p, [1, 1, 2, 1, 1], url_rate=0.0)
    cs[1].extra["author_string"] = True
    cs[2].extra["ld_entities"] = True
    cs[2].blocks = ["@" + cs[1].author + " it's a knock, not a kettle. Don't think it's the scale."]
    votes_for(cs, 0, 25)
    p.comments = cs
    stamp(p, cs, F_SHORT_EU, top=(10, 300), first_id=1220000)
    visible, ld = jsonld_comments(p, "forum")
    p.html = forum_document(p, visible, forum="HomeFix Forums", head_extra=jsonld_script(ld))
    return p


@page
def jsonld_plain():
    p = spec_page("jsonld_plain")
    cs = populate(p, [1, 2, 1, 1, 2, 1], url_rate=0.3)
    cs[3].edited = True
    votes_for(cs, 0, 60)
    p.comments = cs
    stamp(p, cs, F_US_SHORT, top=(10, 300), first_id=5000)
    visible, ld = jsonld_comments(p, "plain")
    p.html = news_document(p, visible, head_extra=jsonld_script(ld))
    return p
