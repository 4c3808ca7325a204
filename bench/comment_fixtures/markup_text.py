# ruff: noqa: E501  (HTML templates: long lines)
"""Comment markup: "Posted by", "on DATE NAME said" and "N. NAME says" engines."""

from __future__ import annotations

from .bank import RNG
from .chrome_wp import wp_form
from .model import Page, children, slug
from .text import attr, blocks_br, blocks_html, esc, gravatar, wp_esc


def posted_by_comments(p: Page, theme: str, *, anchors=True) -> str:
    """Text first, then "Posted by: NAME at DATE" (Minx, MT 2) or "Posted by: NAME | DATE" (MT 3, TypePad)."""
    if theme == "minx":
        return minx_comments_html(p, anchors)
    if theme == "mt2":
        return mt2_comments_html(p)
    if theme == "mt3":
        return mt3_comments_html(p)
    if theme in ("typepad", "typepad_uk"):
        return typepad_comments_html(p)
    raise ValueError(theme)


def minx_comments_html(p, anchors) -> str:
    out = []
    out.append('<div class="comments-head"><a name="comments"></a>Comments</div>')
    for i, c in enumerate(p.comments, 1):
        who = f'<a href="{attr(c.url)}">{esc(c.author)}</a>' if c.url else esc(c.author)
        c.site_id = f"c{i}" if anchors else None
        anchor = f'<a name="c{i}"></a>' if anchors else ""
        out.append(f"""<div class="comments-body">
<p>{anchor}{i} {blocks_br(c.blocks)}</p>
<span class="comments-post">Posted by: {who} at {c.shown} ({c.extra["hash"]})</span>
</div>""")
    out.append(f"""<div class="comments-head">Hide Comments | <a name="addcomment"></a>Add Comment</div>
<div class="comments-body">
<form method="post" action="{p.base}comments.php" name="comments_form" onsubmit="if (this.bakecookie.checked) rememberMe(this)">
<input type="hidden" name="entry_id" value="{RNG.randint(300000, 400000)}">
<label for="author">Name:</label><br>
<input tabindex="1" id="author" name="author"><br><br>
<label for="email">Email Address:</label><br>
<input tabindex="2" id="email" name="email"><br><br>
<label for="url">URL:</label><br>
<input tabindex="3" id="url" name="url" value="http://"><br><br>
Remember info? <input type="checkbox" name="bakecookie"><br><br>
<label for="text">Comments:</label><br>
<textarea tabindex="4" id="text" name="text" rows="10" cols="50"></textarea><br><br>
<label for="magic">Enter the magic word (hint: {slug(p.site).split("-")[-1]}):</label> <input tabindex="5" id="magic" name="magic" size="8"><br><br>
<input type="submit" name="post" tabindex="6" value=" Post ">
</form>
</div>""")
    return "\n".join(out)


def mt2_comments_html(p) -> str:
    out = []
    out.append('<div class="comments-head"><a name="comments"></a>Comments</div>')
    for c in p.comments:
        c.site_id = f"c{c.num:06d}"
        who = f'<a target="_blank" href="{attr(c.url)}">{esc(c.author)}</a>' if c.url else esc(c.author)
        out.append(f"""<a id="c{c.num:06d}"></a>
<div class="comments-body">
{blocks_html(c.blocks, br="<br />")}
<span class="comments-post">Posted by: {who} at {c.shown}</span>
</div>""")
    return "\n".join(out)


def mt3_comments_html(p) -> str:
    out = []
    for c in p.comments:
        c.site_id = f"comment-{c.num}"
        who = (
            f'<a title="{attr(c.url)}" href="{attr(c.url)}" rel="nofollow">{esc(c.author)}</a>'
            if c.url
            else esc(c.author)
        )
        date = f'<a href="#comment-{c.num}">{c.shown}</a>' if c.extra.get("date_link") else c.shown
        out.append(f"""<div class="comment" id="comment-{c.num}">
<div class="comment-content">
{blocks_html(c.blocks)}
</div>
<p class="comment-footer">Posted by: {who} | {date}</p>
</div>""")
    return f"""<div id="comments" class="comments">
<h2 class="comments-header">Comments</h2>
<div class="comments-content">
{chr(10).join(out)}
</div>
</div>"""


def typepad_comments_html(p) -> str:
    out = []
    for c in p.comments:
        xid = c.extra["xid"]
        c.site_id = f"comment-{xid}"
        who = f'<a rel="nofollow" href="{attr(c.url)}">{esc(c.author)}</a>' if c.url else esc(c.author)
        out.append(f"""<a id="c{xid}"></a>
<div class="comment font-entrybody" id="comment-{xid}">
<div class="comment-content font-entrybody">
{blocks_html(c.blocks)}
</div>
<p class="comment-footer font-entryfooter">Posted by: {who} | <a class="permalink" href="{p.url}?cid={xid}#comment-{xid}">{c.shown}</a></p>
</div>""")
    return f"""<div class="comments" id="comments">
<h3 class="comments-header">Comments</h3>
<div class="comments-info"><p><a href="{p.url.rsplit(".", 1)[0]}/comments/atom.xml"><img src="https://static.typepad.com/.shared/images/feed.png" alt="Feed" width="10" height="10" /></a> You can follow this conversation by subscribing to the <a href="{p.url.rsplit(".", 1)[0]}/comments/atom.xml">comment feed</a> for this post.</p></div>
<div class="comments-content">
{chr(10).join(out)}
</div>
</div>"""


def on_date_said_comments(p: Page, theme: str) -> str:
    """<p class="comment-meta">On DATE, NAME said:</p> above the text (custom WordPress themes)."""
    cs = p.comments
    verb = "wrote" if theme == "linked" else "said"

    def who(c):
        if c.url:
            return f'<a href="{attr(c.url)}" rel="external nofollow">{wp_esc(c.author)}</a>'
        return wp_esc(c.author)

    def render(parent, depth=1) -> str:
        out = []
        for i, c in enumerate(children(cs, parent)):
            c.site_id = f"comment-{c.num}"
            meta = (
                f'<p class="comment-meta">On <a href="#comment-{c.num}" title="Permalink to this comment">{c.shown}</a>, '
                f'<span class="comment-author">{who(c)}</span> {verb}:</p>'
            )
            text = blocks_html(c.blocks, wp_esc)
            if theme == "cj":
                out.append(f"""<div class="comment {"even" if i % 2 == 0 else "odd alt"} thread-even depth-1" id="comment-{c.num}">
{meta}
<div class="comment-text">
{text}
</div>
</div>""")
            elif theme == "threaded":
                kids = render(c, depth + 1)
                kids = f'\n<div class="children">\n{kids}\n</div>' if kids else ""
                out.append(f"""<div class="comment depth-{depth}" id="comment-{c.num}">
<div class="comment-body">
<img class="avatar" src="{gravatar(c.author, 40)}" width="40" height="40" alt="" />
{meta}
{text}
<p class="comment-reply"><a class="comment-reply-link" href="{p.url}?replytocom={c.num}#respond">Reply</a></p>
</div>{kids}
</div>""")
            else:
                out.append(f"""<div class="comment" id="comment-{c.num}">
{meta}
{text}
</div>""")
        return "\n".join(out)

    body = render(None)
    count = {
        "cj": f"{len(cs)} Comments",
        "linked": f"{len(cs)} Responses",
        "threaded": f"{len(cs)} Comments",
        "ontext": f"Comments ({len(cs)})",
    }[theme]
    wrap = "commentlist" if theme == "cj" else "comment-list"
    return f"""<div id="comments-wrap">
<h3 id="comments">{count}</h3>
<div class="{wrap}">
{body}
</div>
{wp_form(p, RNG.randint(1000, 9999), html5=False)}
</div>"""


def numbered_says_comments(p: Page, theme: str) -> str:
    """Hand-made themes whose header reads "1. NAME says:" (no vcard, no li.comment)."""
    out = []
    for i, c in enumerate(p.comments, 1):
        name = f'<a href="{attr(c.url)}" rel="nofollow">{esc(c.author)}</a>' if c.url else esc(c.author)
        if theme == "h4":
            c.site_id = f"comment-{c.num}"
            out.append(f"""<div class="comment" id="comment-{c.num}">
<h4>{i}. {name} says:</h4>
<div class="date">{c.shown}</div>
{blocks_html(c.blocks)}
</div>""")
        elif theme == "dl":
            c.site_id = f"c-{c.num}"
            out.append(f"""<dt id="c-{c.num}">{i}. {name} says:</dt>
<dd>
{blocks_html(c.blocks)}
<p class="stamp">Posted {c.shown}</p>
</dd>""")
        elif theme == "timesince":
            c.site_id = f"cmt-{c.num}"
            out.append(f"""<li class="cmt-item" id="cmt-{c.num}">
<div class="cmt-head"><span class="cmt-n">{i}.</span> <strong>{name}</strong> says:</div>
<div class="cmt-age">{c.shown}</div>
<div class="cmt-body">{blocks_html(c.blocks)}</div>
</li>""")
        elif theme == "spannum":
            c.site_id = f"cmt-{c.num}"
            out.append(f"""<div class="cmt" id="cmt-{c.num}">
<p class="who"><span class="num">{i}.</span> {name} says:</p>
<div class="said">
{blocks_html(c.blocks)}
</div>
<p class="when">{c.shown} | <a href="#cmt-{c.num}">Permalink</a> | <a href="{p.base}report.php?c={c.num}" rel="nofollow">Report</a></p>
</div>""")
    body = "\n".join(out)
    n = len(p.comments)
    if theme == "dl":
        return f'<h3 id="comments">{n} Comments so far</h3>\n<dl class="comments">\n{body}\n</dl>'
    if theme == "timesince":
        return f'<h3 id="comments">{n} comments</h3>\n<ol class="cmts">\n{body}\n</ol>'
    return f'<div id="comments-list">\n<h3>{n} Comments</h3>\n{body}\n</div>'
