"""Comment markup: WordPress comment lists, as the walker and a few themes print them."""

from __future__ import annotations

from .chrome_wp import wp_form
from .markup_wp_walker import WpWalker
from .model import Page
from .text import wp_esc


def wordpress_comments(
    p: Page, theme: str, *, post_id: int, comments=None, max_depth=3, nav_html="", count=None
) -> str:
    """WordPress comment lists as core's walker and a few real themes print them.

    Themes: classic (2.7-3.x default walker), twentyten (li#li-comment-N > div#comment-N,
    pingbacks without id), twentytwelve (article.comment, <b class="fn">, "Post author",
    pre-5.3 <time datetime> bug: local wall time labelled +00:00), twentynineteen (HTML5
    walker, <time> with the right offset), genesis (schema.org Comment microdata, no .fn,
    "says" without colon), karma (magazine theme: Permalink, ▲ n ▼ votes, (edited)),
    ymd (custom callback, Y-m-d H:i dates).
    """
    cs = p.comments if comments is None else comments
    body = WpWalker(p, theme, post_id, cs, max_depth).render(None)
    n = len(cs) if count is None else count
    t = wp_esc(p.art["title"])
    form = wp_form(p, post_id, html5=theme != "classic")
    word = "replies" if theme == "twentynineteen" else "Comments"
    template = WRAPPERS.get(theme, WRAPPERS["default"])
    return template.format(n=n, t=t, body=body, form=form, nav_html=nav_html, word=word)


# The comment list around the items, per theme ("default": twentynineteen, ymd).
WRAPPERS = {
    "classic": """<!-- You can start editing here. -->
<h3 id="comments">{n} Responses to &#8220;{t}&#8221;</h3>
<div class="navigation"><div class="alignleft"></div><div class="alignright"></div></div>
<ol class="commentlist">
{body}</ol>
<div class="navigation"><div class="alignleft"></div><div class="alignright"></div></div>
{form}""",
    "twentyten": """<div id="comments">
<h3 id="comments-title">{n} Responses to <em>{t}</em></h3>
<ol class="commentlist">
{body}</ol>
{form}
</div><!-- #comments -->""",
    "twentytwelve": """<div id="comments" class="comments-area">
<h2 class="comments-title">{n} thoughts on &ldquo;<span>{t}</span>&rdquo;</h2>
<ol class="commentlist">
{body}</ol><!-- .commentlist -->
{form}
</div><!-- #comments .comments-area -->""",
    "genesis": """<div class="entry-comments" id="comments"><h3>Comments</h3><ol class="comment-list">
{body}</ol></div>
{form}""",
    "karma": """<section id="comments" class="comments-area">
<h3 class="comments-title"><span class="count">{n}</span> Comments</h3>
<ol class="comment-list">
{body}</ol>
{form}
</section>""",
    "default": """<div id="comments" class="comments-area">
<h2 class="comments-title">{n} {word} on &ldquo;{t}&rdquo;</h2>
{nav_html}
<ol class="comment-list">
{body}</ol><!-- .comment-list -->
{nav_html}
{form}
</div><!-- #comments -->""",
}
