# ruff: noqa: E501  (HTML templates: long lines)
"""Comment markup: the fallback, idiosyncratic markup that no dedicated parser knows."""

from __future__ import annotations

from .bank import RNG
from .model import Page
from .text import attr, blocks_br, blocks_html, esc


def fallback_comments(p: Page, theme: str) -> str:
    """Idiosyncratic comment markup that no dedicated parser knows."""
    cs = p.comments
    for c in cs:
        c.site_id = None
    if theme == "table":
        return table_comments_html(cs)
    if theme == "notes":
        return notes_comments_html(p, cs)
    if theme == "letters":
        return letters_comments_html(p, cs)
    if theme == "talkback":
        return talkback_comments_html(p, cs)
    raise ValueError(theme)


def table_comments_html(cs) -> str:
    rows = "\n".join(
        f"""<tr class="r {"odd" if i % 2 else "even"}"><td class="u"><a href="{attr(c.url)}">{esc(c.author)}</a><br><small>Posts: {RNG.randint(3, 4000):,}</small></td>
<td class="t">{blocks_html(c.blocks)}</td>
<td class="d">{c.shown}</td><td class="v">▲ {c.votes} ▼</td></tr>"""
        for i, c in enumerate(cs)
    )
    return f"""<div class="comments-box" id="replies">
<h3>Replies ({len(cs)})</h3>
<table class="replies" cellspacing="0">
<tr><th>Member</th><th>Reply</th><th>When</th><th>Votes</th></tr>
{rows}
</table>
</div>"""


def notes_comments_html(p, cs) -> str:
    notes = "\n".join(
        f"""<article class="reader-note">
<header>{esc(c.author)} · {c.shown}{" (edited)" if c.edited else ""}</header>
{blocks_html(c.blocks)}
<footer><a href="#">Reply</a> · <a href="#">Flag</a></footer>
</article>"""
        for c in cs
    )
    return f"""<section id="comments" class="reader-notes">
<h2>Reader notes ({len(cs)})</h2>
<p class="notes-policy">Notes are reviewed before they appear. Be kind.</p>
{notes}
<form class="note-form" method="post" action="{p.base}notes"><textarea name="note" placeholder="Add a note"></textarea><button>Send</button></form>
</section>"""


def letters_comments_html(p, cs) -> str:
    letters = "\n".join(
        f"""<div class="letter">
{blocks_html(c.blocks)}
<p class="sig">&mdash; {esc(c.author)} &middot; {c.shown}</p>
</div>"""
        for c in cs
    )
    return f"""<div class="comment-letters">
<h3>Your views</h3>
{letters}
<p class="letters-note">Have your say: email letters@{p.base.split("/")[2]} (max 200 words)</p>
</div>"""


def talkback_comments_html(p, cs) -> str:
    entries = "\n".join(
        f"""<div class="tb-entry">
<div class="tb-head"><span class="tb-nick">{esc(c.author)}</span> <span class="tb-date">{c.shown}</span></div>
<div class="tb-text">{blocks_br(c.blocks)}</div>
</div>"""
        for c in cs
    )
    return f"""<div id="comments-talkback" class="talkback">
<h3>Talkback ({len(cs)})</h3>
{entries}
<div class="tb-form"><form method="post" action="{p.base}talkback.php"><input name="nick" placeholder="Nickname"> <textarea name="msg"></textarea> <input type="submit" value="Send"></form></div>
</div>"""
