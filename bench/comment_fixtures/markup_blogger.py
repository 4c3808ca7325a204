# ruff: noqa: E501  (HTML templates: long lines)
"""Comment markup: Blogger and schema.org microdata."""

from __future__ import annotations

from .bank import RNG
from .dates import iso, ms, z
from .model import Comment, Page, children, slug
from .text import attr, blocks_br, blocks_html, esc


def blogger_comments(p: Page, theme: str, *, blog_id: int, post_id: int) -> str:
    """Blogger: the classic <dl id="comments-block"> and the threaded comment-thread layout."""
    if theme == "dl":
        return blogger_dl(p, blog_id=blog_id, post_id=post_id)
    return blogger_thread(p, blog_id=blog_id, post_id=post_id)


def blogger_link(p: Page, c: Comment, ms_: int) -> str:
    return f"{p.url}?showComment={ms_}#c{c.num}"


def blogger_dl(p: Page, *, blog_id: int, post_id: int) -> str:
    cs = p.comments
    items = [blogger_dl_item(p, c, blog_id) for c in cs]
    body = "\n".join(items)
    return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>{len(cs)} comments:</h4>
<div id='Blog1_comments-block-wrapper'>
<dl class='avatar-comment-indent' id='comments-block'>
{body}
</dl>
</div>
<p class='comment-footer'>
<a href='https://www.blogger.com/comment.g?blogID={blog_id}&amp;postID={post_id}' onclick=''>Post a Comment</a>
</p>
</div>"""


def blogger_dl_item(p: Page, c: Comment, blog_id: int) -> str:
    c.site_id = f"c{c.num}"
    if c.url:
        icon = "blogger-comment-icon"
        name = f'<a href="{attr(c.url)}" rel="nofollow">{esc(c.author)}</a>'
        avatar = (
            f'<div class="avatar-image-container vcard"><span dir="ltr"><a href="{attr(c.url)}" rel="nofollow" '
            f'onclick=""><img class="delayLoad" style="display: none;" longdesc="//lh3.googleusercontent.com/-x/s35-c/photo.jpg" '
            f'src="https://resources.blogblog.com/img/blank.gif" title="{attr(c.author)}" alt="" width="35" height="35"></a></span></div>'
        )
    else:
        icon = "anon-comment-icon"
        name = esc(c.author)
        avatar = (
            '<div class="avatar-image-container avatar-stock"><span dir="ltr"><img src="//resources.blogblog.com/img/blank.gif" '
            'width="35" height="35" alt="" title="Anonymous"></span></div>'
        )
    if c.extra.get("deleted"):
        body = f'<p><span class="deleted-comment">{esc(c.lines()[0])}</span></p>'
    else:
        body = f"<p>{blocks_br(c.blocks, br='<br />')}</p>"
    return f"""<dt class="comment-author {icon}" id="c{c.num}">
{avatar}
<a name="c{c.num}"></a>
{name} said...
</dt>
<dd class="comment-body" id="Blog1_cmt-{c.num}">
{body}
</dd>
<dd class="comment-footer">
<span class="comment-timestamp">
<a href="{blogger_link(p, c, ms(c.when))}" title="comment permalink">
{c.shown}
</a>
<span class="item-control blog-admin pid-{RNG.getrandbits(30)}">
<a class="comment-delete" href="https://www.blogger.com/delete-comment.g?blogID={blog_id}&amp;postID={c.num}" title="Delete Comment">
<img src="https://resources.blogblog.com/img/icon_delete13.gif" />
</a>
</span>
</span>
</dd>"""


def blogger_thread(p: Page, *, blog_id: int, post_id: int) -> str:
    cs = p.comments
    top = "\n".join(blogger_li(p, c, blog_id) for c in children(cs, None))
    return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>{len(cs)} comments:</h4>
<div class="comments-content">
<script async="async" src="" type="text/javascript"></script>
<div id="comment-holder">
<div class="comment-thread toplevel-thread">
<ol id="top-ra">
{top}
</ol>
<div id="top-continue" class="continue"><a class="comment-reply" target="_self">Add comment</a></div>
<div class="comment-replybox-thread" id="top-ce"></div>
<div class="loadmore hidden" data-post-id="{post_id}"><a target="_self">Load more...</a></div>
</div>
</div>
</div>
<p class='comment-footer'>
<div class='comment-form'>
<a name='comment-form'></a>
<p></p>
<a href='https://www.blogger.com/comment-iframe.g?blogID={blog_id}&amp;postID={post_id}' id='comment-editor-src'></a>
<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' frameborder='0' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>
</div>
</p>
</div>"""


def blogger_li(p: Page, c: Comment, blog_id: int) -> str:
    c.site_id = f"c{c.num}"
    author_icon = '<span class="icon user blog-author"></span>' if c.owner else '<span class="icon user "></span>'
    cite = (
        f'<cite class="user"><a href="{attr(c.url)}" rel="nofollow">{esc(c.author)}</a></cite>'
        if c.url
        else f'<cite class="user">{esc(c.author)}</cite>'
    )
    if c.extra.get("deleted"):
        content = f'<p class="comment-content"><span class="deleted-comment">{esc(c.lines()[0])}</span></p>'
    else:
        content = f'<p class="comment-content">{blocks_br(c.blocks)}</p>'
    kids = children(p.comments, c)
    replies = ""
    if kids:
        inner = "\n".join(blogger_li(p, k, blog_id) for k in kids)
        replies = f"""<div class="comment-replies">
<div id="c{c.num}-rt" class="comment-thread inline-thread">
<span class="thread-toggle thread-expanded"><span class="thread-arrow"></span><span class="thread-count"><a target="_self">Replies</a></span></span>
<ol id="c{c.num}-ra" class="thread-chrome thread-expanded">
<div>
{inner}
</div>
<div class="continue" id="c{c.num}-continue"><a class="comment-reply" target="_self" data-comment-id="{c.num}">Reply</a></div>
</ol>
</div>
</div>"""
    return f"""<li class="comment" id="c{c.num}">
<div class="avatar-image-container"><img src="//resources.blogblog.com/img/blank.gif" alt=""/></div>
<div class="comment-block">
<div class="comment-header">
{cite}{author_icon}<span class="datetime secondary-text"><a rel="nofollow" href="{blogger_link(p, c, ms(c.when))}">{c.shown}</a></span>
</div>
{content}
<span class="comment-actions secondary-text"><a class="comment-reply" target="_self" data-comment-id="{c.num}">Reply</a><span class="item-control blog-admin blog-admin pid-{RNG.getrandbits(30)}"><a target="_self" href="https://www.blogger.com/delete-comment.g?blogID={blog_id}&amp;postID={c.num}">Delete</a></span></span>
</div>
{replies}
<div class="comment-replybox-single" id="c{c.num}-ce"></div>
</li>"""


def microdata_comments(p: Page, theme: str) -> str:
    """schema.org microdata: Comment (author/Person/name, dateCreated, text) or the older UserComments."""
    cs = p.comments
    body = "".join(microdata_item(p, theme, c) for c in children(cs, None))
    heading = {
        "comment": f"{len(cs)} Comments",
        "relative": f"Kommentare / Comments ({len(cs)})",
        "usercomments": "Reader Comments",
        "meta": f"{len(cs)} responses",
    }[theme]
    return f"""<section class="comments" id="comments">
<h2 class="comments-heading">{heading}</h2>
{body}
<form class="comment-form" action="{p.base}comments/post" method="post"><h3>Add your comment</h3>
<label>Name <input name="name"></label> <label>Comment <textarea name="body" rows="5"></textarea></label>
<button type="submit">Submit</button> <p class="fine-print">Comments are moderated. Please keep it civil.</p></form>
</section>"""


def microdata_item(p: Page, theme: str, c: Comment) -> str:
    kids = "".join(microdata_item(p, theme, k) for k in children(p.comments, c))
    if theme in ("comment", "relative"):
        return micro_comment_html(p, theme, c, kids)
    if theme == "usercomments":
        return micro_usercomments_html(p, c, kids)
    if theme == "meta":
        return micro_meta_html(c, kids)
    raise ValueError(theme)


def micro_comment_html(p: Page, theme: str, c: Comment, kids: str) -> str:
    c.site_id = f"cmt-{c.num}"
    name = (
        f'<a itemprop="url" href="{attr(c.url)}"><span itemprop="name">{esc(c.author)}</span></a>'
        if c.url
        else f'<span itemprop="name">{esc(c.author)}</span>'
    )
    dt = iso(c.when) if theme == "comment" else z(c.when)
    replies = f'<div class="cmt-replies">\n{kids}</div>\n' if kids else ""
    return f"""<div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="cmt-{c.num}" class="cmt{" cmt-reply" if c.parent else ""}">
<div class="cmt-head"><img class="cmt-avatar" src="{p.base}avatars/{slug(c.author)}.png" alt="" width="32" height="32"> <span itemprop="author" itemscope itemtype="https://schema.org/Person">{name}</span> <span class="dot">·</span> <time itemprop="dateCreated" datetime="{dt}">{c.shown}</time></div>
<div itemprop="text" class="cmt-text">
{blocks_html(c.blocks)}
</div>
<div class="cmt-actions"><a href="#reply-{c.num}" class="cmt-reply-link">Reply</a> <a href="#share-{c.num}">Share</a></div>
{replies}</div>
"""


def micro_usercomments_html(p: Page, c: Comment, kids: str) -> str:
    c.site_id = f"uc-{c.num}"
    creator = (
        f'<span itemprop="creator" itemscope itemtype="http://schema.org/Person"><a itemprop="url" href="{attr(c.url)}"><span itemprop="name">{esc(c.author)}</span></a></span>'
        if c.url
        else f'<span itemprop="creator">{esc(c.author)}</span>'
    )
    return f"""<div class="user-comment" itemprop="comment" itemscope itemtype="http://schema.org/UserComments" id="uc-{c.num}">
<p class="uc-meta">{creator} &mdash; <time itemprop="commentTime" datetime="{c.when.replace(tzinfo=None).isoformat(timespec="minutes")}">{c.shown}</time></p>
<div itemprop="commentText">
{blocks_html(c.blocks)}
</div>
<p class="uc-tools"><a href="{p.url}#respond">Respond</a> | <a href="{p.base}flag?c={c.num}">Flag</a></p>
</div>
{kids}"""


def micro_meta_html(c: Comment, kids: str) -> str:
    c.site_id = None
    replies = f'<div class="replies">\n{kids}</div>\n' if kids else ""
    return f"""<div class="reply-card" itemprop="comment" itemscope itemtype="https://schema.org/Comment">
<meta itemprop="dateCreated" content="{iso(c.when)}">
<p class="reply-byline"><span itemprop="author">{esc(c.author)}</span> <span class="when">{c.shown}</span></p>
<div itemprop="text">{blocks_html(c.blocks)}</div>
{replies}</div>
"""
