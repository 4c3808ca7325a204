"""The pages: "Posted by"."""

from __future__ import annotations

from .bank import RNG
from .chrome_mt import mt_document
from .dates import F_MINX, F_MT, F_TYPEPAD, F_TYPEPAD_UK, local
from .markup_text import posted_by_comments
from .model import populate, rename
from .pages_base import minx_hash, page, spec_page, stamp, typepad_xid

# --- posted-by -----------------------------------------------------------------


@page
def minx_latin1():
    p = spec_page("minx_latin1")
    cs = populate(p, [1] * 6, url_rate=0.5)
    cs[1].blocks = [
        'Every press release from that office ends with "Posted by: Staff at 9:00 AM" and you never '
        "find out who Staff is."
    ]
    cs[2].url = "mailto:gwhit@example.com"
    cs[3].blocks = ["40 years I've voted in this state and I've never seen an ethics bill with teeth."]
    rename(cs, cs[4], "José Müller")
    rename(cs, cs[5], "Łukasz Wróbel")
    for c in cs:
        c.extra["hash"] = minx_hash()
    p.comments = cs
    stamp(p, cs, F_MINX, top=(30, 300))
    p.html = mt_document(p, posted_by_comments(p, "minx"), kind="minx")
    return p


@page
def minx_utf8():
    p = spec_page("minx_utf8")
    cs = populate(p, [1] * 5, url_rate=0.5)
    cs[1].blocks = [
        "Worked there summer of '94.",
        "Marty let me take home anything I wanted on Mondays. Best job I ever had.",
    ]
    cs[2].blocks = ["Bought a box of tapes for my nephew 📼 He has no idea what they are."]
    for c in cs:
        c.extra["hash"] = minx_hash()
    p.comments = cs
    stamp(p, cs, F_MINX, top=(30, 500))
    p.html = mt_document(p, posted_by_comments(p, "minx"), kind="minx")
    return p


@page
def mt2_comments_body():
    p = spec_page("mt2_comments_body")
    cs = populate(p, [1] * 5, url_rate=0.5)
    p.comments = cs
    stamp(p, cs, F_MINX, top=(20, 400), first_id=1180)
    p.html = mt_document(p, posted_by_comments(p, "mt2"), kind="mt2")
    return p


@page
def mt3_classic():
    p = spec_page("mt3_classic")
    cs = populate(p, [1] * 6, url_rate=0.5)
    for c in cs:
        c.extra["date_link"] = RNG.random() < 0.5
    p.comments = cs
    stamp(p, cs, F_MT, top=(30, 600), first_id=16890)
    p.html = mt_document(p, posted_by_comments(p, "mt3"), kind="mt3")
    return p


@page
def typepad_dst():
    p = spec_page("typepad_dst")
    cs = populate(p, [1] * 7, url_rate=0.4)
    for c in cs:
        c.extra["xid"] = typepad_xid()
    p.comments = cs
    stamp(p, cs, F_TYPEPAD, start=local("America/New_York", 2008, 3, 8, 20, 0), top=(30, 200), seconds=True)
    p.html = mt_document(p, posted_by_comments(p, "typepad"), kind="typepad")
    return p


@page
def typepad_uk():
    p = spec_page("typepad_uk")
    cs = populate(p, [1] * 5, url_rate=0.4)
    for c in cs:
        c.extra["xid"] = typepad_xid()
    p.comments = cs
    stamp(p, cs, F_TYPEPAD_UK, top=(20, 300))
    p.html = mt_document(p, posted_by_comments(p, "typepad_uk"), kind="typepad")
    return p
