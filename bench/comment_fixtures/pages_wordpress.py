"""The pages: WordPress."""

from __future__ import annotations

from .chrome_wp_document import wp_document
from .dates import F_EU_LONG, F_WP, F_YMD
from .markup_wordpress import wordpress_comments
from .model import Comment, populate, rename
from .pages_base import page, spec_page, stamp, votes_for, wp_page, yoast_jsonld

# --- wordpress ---------------------------------------------------------------


@page
def wp_classic_threaded():
    p = spec_page("wp_classic_threaded")
    cs = populate(p, [1, 2, 3, 1, 1, 2, 1, 1, 2], url_rate=0.4, owner_rate=0.35)
    cs[3].blocks = [
        "The sign they're proposing for the gate says: \"Dogs must remain leashed until inside the "
        'second gate." Good luck with that.'
    ]
    ping = Comment(
        author="Millbrook Moms » Blog Archive » Dog park finally approved!",
        kind="pingback",
        url="http://millbrookmoms.example.net/2009/06/dog-park-finally-approved/",
        blocks=[
            "[...] the township committee voted 4-1 to build the dog park at Veterans Field. Deb "
            "Kowalczyk, who started the petition, deserves a medal. Details at Millbrook Patch Notes [...]"
        ],
    )
    cs.insert(6, ping)
    p.comments = cs
    stamp(p, cs, F_WP, first_id=4410, texturize=True)
    p.html = wp_page(
        p,
        "classic",
        theme="default",
        generator="WordPress 2.8.4",
        post_id=1187,
        classic=True,
    )
    return p


@page
def wp_twentyten_pingbacks():
    p = spec_page("wp_twentyten_pingbacks")
    cs = populate(p, [1, 1, 2, 1, 2, 2, 1, 1], url_rate=0.35, owner_rate=0.3)
    ping1 = Comment(
        author="Eastport Bikes » Shore Drive vote delayed again",
        kind="pingback",
        url="http://eastportbikes.example.org/2011/03/shore-drive-vote-delayed-again/",
        blocks=["Eastport Bikes » Shore Drive vote delayed again"],
        extra={"no_time": True},
    )
    ping2 = Comment(
        author="The Daily Grind: Eastport's bike lane fight, explained",
        kind="trackback",
        url="http://dailygrind.example.net/2011/03/07/bike-lane-fight-explained/",
        blocks=["The Daily Grind: Eastport's bike lane fight, explained"],
        extra={"no_time": True},
    )
    cs.insert(3, ping1)
    cs.append(ping2)
    p.comments = cs
    stamp(p, cs, F_WP, top=(30, 500), first_id=20511, texturize=True)
    p.html = wp_page(
        p,
        "twentyten",
        theme="twentyten",
        generator="WordPress 3.1",
        post_id=3312,
        classic=True,
    )
    return p


@page
def wp_twentytwelve():
    p = spec_page("wp_twentytwelve")
    cs = populate(p, [1, 2, 1, 1, 2, 3, 1, 2], url_rate=0.3, owner_rate=0.4)
    parent = cs[4].parent
    cs[4].blocks = [
        ("quote", [parent.lines()[0]]),
        "Agree, but who else plays centre half? We have nobody on the bench.",
    ]
    p.comments = cs
    stamp(p, cs, F_WP, top=(10, 240), reply=(5, 120), first_id=812, texturize=True)
    p.html = wp_page(
        p,
        "twentytwelve",
        theme="twentytwelve",
        generator="WordPress 3.6.1",
        post_id=2240,
    )
    return p


@page
def wp_twentynineteen():
    p = spec_page("wp_twentynineteen")
    cs = populate(p, [1, 2, 1, 1, 2, 1, 1, 2, 1], url_rate=0.4, owner_rate=0.4)
    cs[2].edited = True
    cs[5].blocks = [
        "Switched to a manager last year and I'm never going back 😀 Autofill on Android has been flawless for me."
    ]
    p.comments = cs
    stamp(p, cs, F_WP, top=(120, 900), reply=(10, 300), first_id=55120, texturize=True)
    p.html = wp_page(
        p,
        "twentynineteen",
        theme="twentynineteen",
        generator="WordPress 5.4.2",
        post_id=9981,
        head_extra=yoast_jsonld(p, len(cs)),
    )
    return p


@page
def wp_genesis():
    p = spec_page("wp_genesis")
    cs = populate(p, [1, 1, 2, 1, 2, 3, 1], url_rate=0.45, owner_rate=0.5)
    p.comments = cs
    stamp(p, cs, F_WP, top=(40, 700), first_id=3104, texturize=True)
    p.html = wp_page(
        p,
        "genesis",
        theme="genesis-sample",
        generator="WordPress 5.5.1",
        post_id=1577,
        head_extra='<meta name="generator" content="Genesis 3.3.3" />',
    )
    return p


@page
def wp_karma():
    p = spec_page("wp_karma")
    cs = populate(p, [1, 2, 3, 1, 1, 2, 1, 2, 1], url_rate=0.25)
    rename(cs, cs[3], "Siobhán Ní Bhriain")
    rename(cs, cs[5], "José Müller")
    cs[5].blocks = [
        f"@{cs[4].author} the list is on page 14 of the appendix, not in the main papers. Took me an hour to find it."
    ]
    cs[0].edited = True
    cs[1].blocks = [("quote", [cs[0].lines()[0]]), "Tell that to the café on Main Street that closed in March."]
    cs[6].blocks = ["Rush harbour toilets by 2016? I'll believe it when I see it 🚽😂"]
    votes_for(cs)
    p.comments = cs
    stamp(p, cs, F_EU_LONG, top=(15, 300), reply=(5, 200), first_id=14880, texturize=True)
    p.html = wp_page(
        p,
        "karma",
        theme="karma-mag",
        generator="WordPress 4.2.2",
        post_id=6620,
    )
    return p


@page
def wp_custom_ymd():
    p = spec_page("wp_custom_ymd")
    cs = populate(p, [1, 1, 2, 1, 2, 3, 1], url_rate=0.3, owner_rate=0.3)
    cs[1].blocks = ["150 not out by stumps tomorrow, mark my words. Sen has the temperament."]
    cs[4].blocks = ["My uncle says: never trust a Salt Lake pitch on day three. He has been right for forty years."]
    p.comments = cs
    stamp(p, cs, F_YMD, top=(20, 400), first_id=7702, texturize=True)
    post_id = 4417
    p.html = wp_document(
        p, wordpress_comments(p, "ymd", post_id=post_id), theme="thirdman", generator="WordPress 4.0.1", post_id=post_id
    )
    return p
