"""Pagination scenario: one article whose comments span three pages."""

from __future__ import annotations

from datetime import UTC

from .bank import RNG
from .chrome_wp_document import wp_document
from .dates import F_WP
from .markup_wordpress import wordpress_comments
from .model import Page, populate
from .pages_base import new_page, stamp
from .text import esc, paras_html


def comment_nav(i: int, n: int) -> str:
    """WordPress comment paging links, relative to the file that holds them."""
    prefix = "" if i == 1 else "../"

    def href(k):
        return f"{prefix}index.html#comments" if k == 1 else f"{prefix}comment-page-{k}/index.html#comments"

    older = f'<div class="nav-previous"><a href="{href(i - 1)}">&laquo; Older Comments</a></div>' if i > 1 else ""
    newer = f'<div class="nav-next"><a href="{href(i + 1)}">Newer Comments &raquo;</a></div>' if i < n else ""
    numbers = " ".join(
        f'<span aria-current="page" class="page-numbers current">{k}</span>'
        if k == i
        else f'<a class="page-numbers" href="{href(k)}">{k}</a>'
        for k in range(1, n + 1)
    )
    return (
        f'<nav class="navigation comment-navigation" role="navigation" aria-label="Comments">'
        f'<h2 class="screen-reader-text">Comments navigation</h2><div class="nav-links">{older}{newer}</div></nav>\n'
        f'<div class="navigation comment-pagination">{numbers}</div>'
    )


def build_pagination() -> tuple[list[Page], Page, str]:
    canonical = "https://blog.example.com/2019/05/paged-post/"
    p = new_page(
        "pagination/post/index.html",
        "wordpress",
        "WordPress 5.2, paged comments (4 threads per page, oldest first)",
        "America/New_York",
        "2024-12-20T15:00:00+00:00",
        "newsletter",
        "Maple Avenue Notes",
        "https://blog.example.com/",
        (2019, 5, 14, 9, 5),
        url=canonical,
        tagline="Three blocks, ten years, one newsletter",
    )
    cs = populate(p, [1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 2], url_rate=0.3, owner_rate=0.5)
    p.comments = cs
    stamp(p, cs, F_WP, top=(30, 600), reply=(10, 300), first_id=880, texturize=True)
    chunks = [cs[0:5], cs[5:10], cs[10:12]]
    out = []
    state = RNG.getstate()  # identical chrome on every comment page
    for i, chunk in enumerate(chunks, 1):
        RNG.setstate(state)
        path = "pagination/post/index.html" if i == 1 else f"pagination/post/comment-page-{i}/index.html"
        page_canonical = canonical if i == 1 else f"{canonical}comment-page-{i}/"
        q = Page(**{**p.__dict__, "path": path})
        q.html = wp_document(
            q,
            wordpress_comments(
                q, "twentynineteen", post_id=512, comments=chunk, nav_html=comment_nav(i, len(chunks)), count=len(cs)
            ),
            theme="twentynineteen",
            generator="WordPress 5.2.1",
            post_id=512,
            canonical=page_canonical,
        )
        out.append(q)
    feed = pagination_feed(p, cs)
    return out, p, feed


def pagination_feed(p: Page, cs: list) -> str:
    """The blog's RSS feed, whose one item links to the paged article."""
    pub = p.published.astimezone(UTC)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>
<channel>
	<title>{p.site}</title>
	<atom:link href="https://blog.example.com/feed/" rel="self" type="application/rss+xml" />
	<link>https://blog.example.com</link>
	<description>{p.tagline}</description>
	<lastBuildDate>{pub.strftime("%a, %d %b %Y %H:%M:%S")} +0000</lastBuildDate>
	<language>en-US</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=5.2.1</generator>
	<item>
		<title>{esc(p.art["title"])}</title>
		<link>post/index.html</link>
		<comments>post/index.html#comments</comments>
		<pubDate>{pub.strftime("%a, %d %b %Y %H:%M:%S")} +0000</pubDate>
		<dc:creator><![CDATA[{p.art["byline"]}]]></dc:creator>
		<category><![CDATA[{p.art["category"]}]]></category>
		<guid isPermaLink="false">https://blog.example.com/?p=512</guid>
		<description><![CDATA[{p.paras[0]} [&#8230;]]]></description>
		<content:encoded><![CDATA[{paras_html(p.paras)}]]></content:encoded>
		<wfw:commentRss>https://blog.example.com/2019/05/paged-post/feed/</wfw:commentRss>
		<slash:comments>{len(cs)}</slash:comments>
	</item>
</channel>
</rss>
"""
