"""The pages: Blogger."""

from __future__ import annotations

from .bank import RNG
from .chrome_blogger import blogger_document
from .dates import F_BLOGGER, F_BLOGGER_INTL, F_BLOGGER_NEW, F_BLOGGER_UK, F_BLOGGER_YY
from .markup_blogger import blogger_comments
from .model import Comment, Page, populate, rename
from .pages_base import blogger_ids, blogger_profile, page, spec_page, stamp

# --- blogger -------------------------------------------------------------------------


def blogger_page(p: Page, theme: str) -> str:
    blog_id = RNG.randint(10**18, 10**19 - 1)
    post_id = RNG.randint(10**18, 10**19 - 1)
    return blogger_document(p, blogger_comments(p, theme, blog_id=blog_id, post_id=post_id))


def blogger_authors(p: Page, cs):
    owner = blogger_profile()
    for c in cs:
        if c.owner:
            c.url = owner
        elif c.url:
            c.url = blogger_profile()


@page
def blogger_dl_anonymous():
    p = spec_page("blogger_dl_anonymous")
    cs = populate(p, [1] * 6, url_rate=0.8)
    rename(cs, cs[1], "Anonymous", url=None)
    rename(cs, cs[4], "Anonymous", url=None)
    cs[2].blocks = [
        "Great progress.",
        "Tip for the coaster brake: lay the parts out on a towel in order as you take them out. Saved me twice.",
    ]
    cs[5] = Comment(
        author=p.art["byline"],
        owner=True,
        url="x",
        blocks=[f"Thanks all. {cs[3].author}, the bearings came from a shop in Ohio, I'll post the link next week."],
    )
    blogger_authors(p, cs)
    p.comments = cs
    stamp(p, cs, F_BLOGGER, top=(20, 500))
    blogger_ids(cs)
    p.html = blogger_page(p, "dl")
    return p


@page
def blogger_dl_deleted():
    p = spec_page("blogger_dl_deleted")
    cs = populate(p, [1] * 5, url_rate=0.7)
    cs[2].blocks = ["This comment has been removed by the author."]
    cs[2].extra["deleted"] = True
    blogger_authors(p, cs)
    p.comments = cs
    stamp(p, cs, F_BLOGGER_UK, top=(30, 700))
    blogger_ids(cs)
    p.html = blogger_page(p, "dl")
    return p


@page
def blogger_dl_yy():
    p = spec_page("blogger_dl_yy")
    cs = populate(p, [1] * 5, url_rate=0.6)
    blogger_authors(p, cs)
    p.comments = cs
    stamp(p, cs, F_BLOGGER_YY, top=(30, 800))
    blogger_ids(cs)
    p.html = blogger_page(p, "dl")
    return p


@page
def blogger_threaded():
    p = spec_page("blogger_threaded")
    cs = populate(p, [1, 2, 2, 1, 1, 2, 1], url_rate=0.7, owner_rate=0.5)
    rename(cs, cs[3], "Unknown", url=None)
    blogger_authors(p, cs)
    p.comments = cs
    stamp(p, cs, F_BLOGGER_NEW, top=(20, 500))
    blogger_ids(cs)
    p.html = blogger_page(p, "threaded")
    return p


@page
def blogger_threaded_intl():
    p = spec_page("blogger_threaded_intl")
    cs = populate(p, [1, 2, 1, 2, 2, 1], url_rate=0.7, owner_rate=0.3)
    rename(cs, cs[4], "Anonymous", url=None)
    blogger_authors(p, cs)
    p.comments = cs
    stamp(p, cs, F_BLOGGER_INTL, top=(20, 500))
    blogger_ids(cs)
    p.html = blogger_page(p, "threaded")
    return p
