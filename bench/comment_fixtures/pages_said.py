"""The pages: on-date-said and numbered-says."""

from __future__ import annotations

from .chrome_news import old_document
from .dates import F_BLOGGER_INTL, F_EU_LONG, F_NUMBERED, F_SAID_SHORT, F_WP, F_WP_ORDINAL, local, set_relative
from .markup_text import numbered_says_comments
from .model import Page, number_chrono, populate, rename
from .pages_base import page, said_page, spec_page, stamp

# --- on-date-said ------------------------------------------------------------------


@page
def said_comment_text():
    p = spec_page("said_comment_text")
    cs = populate(p, [1] * 4, url_rate=0.2)
    p.comments = cs
    stamp(p, cs, F_WP, top=(60, 900), first_id=28500, texturize=True)
    p.html = said_page(p, "cj", theme="forward", generator="WordPress 3.0.1")
    return p


@page
def wrote_linked():
    p = spec_page("wrote_linked")
    cs = populate(p, [1] * 6, url_rate=0.6)
    rename(cs, cs[2], "Robert Jones, Jr.", url="http://rjonesjr.example.com/")
    p.comments = cs
    stamp(p, cs, F_WP_ORDINAL, top=(20, 400), first_id=902, texturize=True)
    p.html = said_page(p, "linked", theme="d118", generator="WordPress 3.4.2")
    return p


@page
def said_threaded_sydney():
    p = spec_page("said_threaded_sydney")
    cs = populate(p, [1, 2, 1, 2, 3, 1, 1], url_rate=0.2, owner_rate=0.3)
    p.comments = cs
    stamp(
        p,
        cs,
        F_BLOGGER_INTL,
        start=local("Australia/Sydney", 2015, 10, 3, 12, 0),
        top=(60, 420),
        reply=(20, 300),
        first_id=5530,
        texturize=True,
    )
    p.html = said_page(p, "threaded", theme="courier", generator="WordPress 4.3.1")
    return p


@page
def said_on_text():
    p = spec_page("said_on_text")
    cs = populate(p, [1] * 5, url_rate=0.3)
    cs[0].blocks = [
        "On the whole I support this, but phasing it in over three years just means we pay more "
        "interest on the same pipes."
    ]
    cs[2].blocks = [
        "On Tuesday, Councilman Kim said:",
        ("quote", ["We are asking the people with the least to carry the most."]),
        "He's right, and nobody in the majority even tried to answer him.",
    ]
    p.comments = cs
    stamp(p, cs, F_SAID_SHORT, top=(30, 500), first_id=2210, texturize=True)
    p.html = said_page(p, "ontext", theme="current", generator="WordPress 4.7.5")
    return p


# --- numbered-says ------------------------------------------------------------------


def simple_form(p: Page) -> str:
    return f"""<h3 id="postcomment">Leave a comment</h3>
<form action="{p.base}comment.php" method="post" id="cform">
<p><input type="text" name="name" size="28"> <label>Name</label></p>
<p><input type="text" name="email" size="28"> <label>E-mail (never shown)</label></p>
<p><input type="text" name="homepage" size="28"> <label>Homepage</label></p>
<p><textarea name="body" cols="50" rows="8"></textarea></p>
<p><input type="checkbox" name="remember"> Remember me &nbsp; <input type="submit" value="Say it"></p>
</form>"""


@page
def numbered_h4():
    p = spec_page("numbered_h4")
    cs = populate(p, [1] * 6, url_rate=0.5)
    p.comments = cs
    stamp(p, cs, F_NUMBERED, top=(15, 300), first_id=19860)
    p.html = old_document(p, numbered_says_comments(p, "h4"), generator="pMachine Pro 2.4", form_html=simple_form(p))
    return p


@page
def numbered_dl():
    p = spec_page("numbered_dl")
    cs = populate(p, [1] * 5, url_rate=0.3)
    cs[2].blocks = [
        'Their outage page literally has "Posted by: Admin" at the top and has not been updated since Tuesday.'
    ]
    p.comments = cs
    stamp(p, cs, F_WP, top=(30, 400), first_id=4400)
    p.html = old_document(p, numbered_says_comments(p, "dl"), generator="Nucleus CMS v3.24", form_html=simple_form(p))
    return p


@page
def numbered_timesince():
    p = spec_page("numbered_timesince")
    cs = populate(p, [1] * 5, url_rate=0.3)
    rename(cs, cs[3], "3rd Generation Farmer")
    ages = [
        "14 years, 3 months ago",
        "14 years, 3 months ago",
        "14 years, 3 months ago",
        "14 years, 2 months ago",
        "13 years, 11 months ago",
    ]
    for c, age in zip(cs, ages, strict=True):
        set_relative(p, c, age)
    p.comments = cs
    number_chrono(cs, 101)
    p.html = old_document(
        p, numbered_says_comments(p, "timesince"), generator="Textpattern 4.2.0", form_html=simple_form(p)
    )
    return p


@page
def numbered_spannum():
    p = spec_page("numbered_spannum")
    cs = populate(p, [1] * 6, url_rate=0.3)
    cs[1].blocks = [
        'The programme note says: "a Prospero for our bureaucratic age". Which tells you everything about the problem.'
    ]
    cs[3].blocks = ["3. The reconciliation scene. That's where it fell apart for me, and it's the whole play."]
    p.comments = cs
    stamp(p, cs, F_EU_LONG, top=(30, 500), first_id=220)
    p.html = old_document(p, numbered_says_comments(p, "spannum"), generator="Stalls CMS 1.2", form_html=simple_form(p))
    return p
