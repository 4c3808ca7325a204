# ruff: noqa: E501  (HTML templates: long lines)
"""Comment markup: the WordPress comment walker and one comment item per theme."""

from __future__ import annotations

from dataclasses import dataclass

from .dates import iso
from .model import Comment, Page, children, slug
from .text import attr, blocks_html, gravatar, wp_esc


def item_classic(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    c.site_id = f"comment-{n}"
    return (
        f"""<li class="{cls}" id="comment-{n}">
<div id="div-comment-{n}" class="comment-body">
<div class="comment-author vcard">
<img alt='' src='{gravatar(c.author, 32, "http://www.gravatar.com")}' class='avatar avatar-32 photo' height='32' width='32' />
<cite class="fn">{w.who(c)}</cite> <span class="says">says:</span>
</div>
<div class="comment-meta commentmetadata"><a href="{w.p.url}#comment-{n}">{c.shown}</a></div>
{blocks_html(c.blocks, wp_esc)}
<div class="reply">
{w.reply_link(c, old=True)}
</div>
</div>
""",
        "</li>\n",
    )


def item_twentyten(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    if c.kind != "comment":
        c.site_id = None
        return (
            f"""<li class="post pingback">
<p>Pingback: {w.who(c)}</p>
""",
            "</li>\n",
        )
    c.site_id = f"comment-{n}"
    return (
        f"""<li class="{cls}" id="li-comment-{n}">
<div id="comment-{n}">
<div class="comment-author vcard">
<img alt='' src='{gravatar(c.author, 40, "http://1.gravatar.com")}' class='avatar avatar-40 photo' height='40' width='40' />
<cite class="fn">{w.who(c)}</cite> <span class="says">says:</span>
</div><!-- .comment-author .vcard -->
<div class="comment-meta commentmetadata"><a href="{w.p.url}#comment-{n}">
{c.shown}</a></div><!-- .comment-meta .commentmetadata -->
<div class="comment-body">{blocks_html(c.blocks, wp_esc)}</div>
<div class="reply">
{w.reply_link(c)}
</div><!-- .reply -->
</div><!-- #comment-##  -->
""",
        "</li>\n",
    )


def item_twentytwelve(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    c.site_id = f"comment-{n}"
    label = " <span>Post author</span>" if c.owner else ""
    buggy = c.when.replace(tzinfo=None).isoformat() + "+00:00"  # WP < 5.3 get_comment_time('c')
    return (
        f"""<li class="{cls}" id="li-comment-{n}">
<article id="comment-{n}" class="comment">
<header class="comment-meta comment-author vcard">
<img alt='' src='{gravatar(c.author, 44, "http://0.gravatar.com")}' class='avatar avatar-44 photo' height='44' width='44' /><cite><b class="fn">{w.who(c)}</b>{label}</cite><a href="{w.p.url}#comment-{n}"><time datetime="{buggy}">{c.shown}</time></a>
</header><!-- .comment-meta -->
<section class="comment-content comment">
{blocks_html(c.blocks, wp_esc)}
</section><!-- .comment-content -->
<div class="reply">
{w.reply_link(c)} <span>&darr;</span>
</div><!-- .reply -->
</article><!-- #comment-## -->
""",
        "</li><!-- #comment-## -->\n",
    )


def item_twentynineteen(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    c.site_id = f"comment-{n}"
    edited = '\n<p class="comment-edited"><em>(edited)</em></p>' if c.edited else ""
    badge = (
        '<span class="post-author-badge" aria-hidden="true"><svg class="svg-icon" width="24" height="24" '
        'aria-hidden="true" role="img" focusable="false" viewBox="0 0 24 24"><path d="M0 0h24v24H0z" fill="none"></path></svg></span>'
        if c.owner
        else ""
    )
    avatar = f"<img alt='' src='{gravatar(c.author, 60)}' class='avatar avatar-60 photo' height='60' width='60' loading='lazy'/>"
    name = (
        f'<a href="{attr(c.url)}" rel="external nofollow ugc" class="url">{avatar}{badge}<b class="fn">{wp_esc(c.author)}</b></a>'
        if c.url
        else f'{avatar}{badge}<b class="fn">{wp_esc(c.author)}</b>'
    )
    return (
        f"""<li id="comment-{n}" class="{cls}">
<article id="div-comment-{n}" class="comment-body">
<footer class="comment-meta">
<div class="comment-author vcard">
{name}<span class="screen-reader-text says">says:</span>
</div><!-- .comment-author -->
<div class="comment-metadata">
<a href="{w.p.url}#comment-{n}"><time datetime="{iso(c.when)}" title="{c.shown}">{c.shown}</time></a>
</div><!-- .comment-metadata -->
</footer><!-- .comment-meta -->
<div class="comment-content">
{blocks_html(c.blocks, wp_esc)}{edited}
</div><!-- .comment-content -->
<div class="comment-reply">{w.reply_link(c)}</div>
</article><!-- .comment-body -->
""",
        "</li><!-- #comment-## -->\n",
    )


def item_genesis(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    c.site_id = f"comment-{n}"
    name = (
        f'<a href="{attr(c.url)}" class="comment-author-link" rel="external nofollow" itemprop="url">{wp_esc(c.author)}</a>'
        if c.url
        else wp_esc(c.author)
    )
    return (
        f"""<li class="{cls}" id="comment-{n}"><article id="article-comment-{n}" itemprop="comment" itemscope itemtype="https://schema.org/Comment">
<header class="comment-header">
<p class="comment-author" itemprop="author" itemscope itemtype="https://schema.org/Person">
<img alt='' src='{gravatar(c.author, 48)}' class='avatar avatar-48 photo' height='48' width='48' loading='lazy'/><span class="comment-author-name" itemprop="name">{name}</span> <span class="says">says</span>
</p>
<p class="comment-meta"><time class="comment-time" datetime="{iso(c.when)}" itemprop="datePublished"><a class="comment-time-link" href="{w.p.url}#comment-{n}" itemprop="url">{c.shown}</a></time></p>
</header>
<div class="comment-content" itemprop="text">
{blocks_html(c.blocks, wp_esc)}
</div>
<div class="comment-reply">{w.reply_link(c)}</div>
</article>
""",
        "</li><!-- #comment-## -->\n",
    )


def item_karma(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    c.site_id = f"comment-{n}"
    edited = ' <span class="edited-note">(edited)</span>' if c.edited else ""
    votes = (
        ""
        if c.votes is None
        else (
            f'<div class="ckrating"><a class="ck-up" href="#" title="Thumb up">▲</a> <span class="ck-count">{c.votes}</span> '
            f'<a class="ck-down" href="#" title="Thumb down">▼</a></div>'
        )
    )
    return (
        f"""<li class="{cls}" id="comment-{n}">
<div class="comment-wrap clearfix">
<div class="comment-avatar"><img alt='' src='{gravatar(c.author, 56)}' class='avatar avatar-56 photo' height='56' width='56' /></div>
<div class="comment-main">
<div class="comment-author vcard"><cite class="fn">{w.who(c)}</cite></div>
<div class="comment-meta commentmetadata">{c.shown}{edited} <span class="sep">&middot;</span> <a class="comment-permalink" href="#comment-{n}">Permalink</a></div>
<div class="comment-text">
{blocks_html(c.blocks, wp_esc)}
</div>
{votes}
<div class="reply">{w.reply_link(c)}</div>
</div>
</div>
""",
        "</li>\n",
    )


def item_ymd(w: WpWalker, c: Comment, n: int, cls: str) -> tuple[str, str]:
    c.site_id = f"comment-{n}"
    return (
        f"""<li id="comment-{n}" class="{cls}">
<article id="div-comment-{n}" class="comment-body">
<footer class="comment-meta">
<div class="comment-author vcard">
<img alt='' src='{gravatar(c.author, 50)}' class='avatar avatar-50 photo' height='50' width='50' /><b class="fn">{w.who(c)}</b> <span class="says">says:</span>
</div>
<div class="comment-metadata"><a href="{w.p.url}#comment-{n}">{c.shown}</a></div>
</footer>
<div class="comment-content">
{blocks_html(c.blocks, wp_esc)}
</div>
<div class="reply">{w.reply_link(c)}</div>
</article>
""",
        "</li>\n",
    )


THEME_ITEMS = {
    "classic": item_classic,
    "twentyten": item_twentyten,
    "twentytwelve": item_twentytwelve,
    "twentynineteen": item_twentynineteen,
    "genesis": item_genesis,
    "karma": item_karma,
    "ymd": item_ymd,
}


@dataclass
class WpWalker:
    """What every theme's comment item needs: the page, the post, the walker's counters."""

    p: Page
    theme: str
    post_id: int
    cs: list
    max_depth: int
    n: int = 0
    thread: int = 0

    def classes(self, c: Comment) -> str:
        parts = [c.kind]
        if c.owner:
            parts.append(f"byuser comment-author-{slug(c.author)} bypostauthor")
        parts.append("even" if self.n % 2 == 0 else "odd alt")
        if c.depth == 1:
            parts.append("thread-even" if self.thread % 2 == 0 else "thread-odd thread-alt")
            self.thread += 1
        self.n += 1
        parts.append(f"depth-{c.depth}")
        if children(self.cs, c):
            parts.append("parent")
        return " ".join(parts)

    def who(self, c: Comment, rel="external nofollow") -> str:
        if c.url:
            return f"<a href='{attr(c.url)}' rel='{rel}' class='url'>{wp_esc(c.author)}</a>"
        return wp_esc(c.author)

    def reply_link(self, c: Comment, old=False) -> str:
        if c.kind != "comment" or c.depth >= self.max_depth:
            return ""
        p, post_id = self.p, self.post_id
        if old:
            return (
                f"<a rel='nofollow' class='comment-reply-link' href='{p.url}?replytocom={c.num}#respond' "
                f'onclick=\'return addComment.moveForm("div-comment-{c.num}", "{c.num}", "respond", "{post_id}")\'>Reply</a>'
            )
        return (
            f"<a rel='nofollow' class='comment-reply-link' href='{p.url}?replytocom={c.num}#respond' "
            f'data-commentid="{c.num}" data-postid="{post_id}" data-belowelement="div-comment-{c.num}" '
            f"data-respondelement=\"respond\" aria-label='Reply to {attr(c.author)}'>Reply</a>"
        )

    def item(self, c: Comment) -> tuple[str, str]:
        """The opening and closing markup of one comment (children go in between)."""
        n, cls = c.num, self.classes(c)
        if self.theme not in THEME_ITEMS:
            raise ValueError(self.theme)
        return THEME_ITEMS[self.theme](self, c, n, cls)

    def render(self, parent) -> str:
        child_tag = {"classic": "ul", "twentyten": "ul", "genesis": "ul", "karma": "ul"}.get(self.theme, "ol")
        out = []
        for c in children(self.cs, parent):
            opening, closing = self.item(c)
            kids = self.render(c)
            if kids:
                opening += f'<{child_tag} class="children">\n{kids}</{child_tag}><!-- .children -->\n'
            out.append(opening + closing)
        return "".join(out)
