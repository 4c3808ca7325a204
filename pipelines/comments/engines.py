"""Parsers for the comment markup of blog engines: WordPress, Movable Type / Minx /
TypePad, Blogger, and the plain-text header styles ("On DATE, NAME said:",
"1. NAME says:") of custom themes."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.comments.markup import (
    THREAD_MARK,
    RawComment,
    any_class,
    block_text,
    date_lines,
    first_date_text,
    first_text,
    has_class,
    nearest,
    squash,
    without,
    without_nodes,
)

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# The Classic theme (WordPress 1.5–2.x, and WordPress.com's Rubric after it) signs each
# comment below its text: <p><cite>Comment by NAME — DATE @ <a>TIME</a></cite></p>, and
# its threaded form puts text and signature inside div.comment-author.
_CLASSIC_LINE = ".//p[cite[contains(., '\u2014') and contains(., '@')]]"
_CLASSIC_SIGNATURE = re.compile(r"^\S+\s+\S+\s+(?P<author>.+?)\s+\u2014\s+(?P<date>.+)$")
# WordPress's comment_class() gives every comment "comment" (or pingback/trackback) and
# "depth-N"; themes put it on an <li>, a <div> (Twenty Twenty) or an <article>, and the
# Disqus plugin's static copy on li#dsq-comment-N.
# (One path per element name: libxml2 walks //li by name far faster than it tests
# self::li on every element.)
_WP_ITEM = any_class("comment", "pingback", "trackback")
_WP_ITEMS = (
    f"//li[{_WP_ITEM}][contains(@class, 'depth-') or starts-with(@id, 'comment-') or starts-with(@id, 'li-comment-')"
    " or starts-with(@id, 'dsq-comment-')]"
    + "".join(f" | //{tag}[contains(@class, 'depth-')][{_WP_ITEM}]" for tag in ("div", "article", "dd"))
    + f" | //li[{any_class('pingback', 'trackback')}]"
    f" | //ol[@id='commentlist']/li[starts-with(@id, 'comment-')][{_CLASSIC_LINE[3:]}]"
)
_WP_META = any_class("comment-meta", "commentmetadata", "comment-metadata")
# The innermost meta block: HTML5 themes wrap author and date in one footer.comment-meta.
_WP_DATE_BLOCK = f".//*[{_WP_META}][not(.//*[{_WP_META}])]"
_WP_DATES = (
    f"{_WP_DATE_BLOCK}//time",
    f"{_WP_DATE_BLOCK}//a[contains(@href, '#')]",
    _WP_DATE_BLOCK,
    f".//*[{any_class('wp-block-comment-date', 'comment-date', 'comment-time')}]",
    ".//time",
)
_WP_AUTHOR = (
    f".//*[{any_class('fn', 'wp-block-comment-author-name', 'comment-author-name', 'comment-author')}] | .//cite[1]"
)
_WP_TEXT = f".//*[{any_class('comment-content', 'wp-block-comment-content', 'comment-text', 'dsq-comment-message')}]"
_NESTED_LISTS = f".//*[self::ol or self::ul or self::div][{any_class('children', 'comment-children')}]"


def _wordpress_id(item: HtmlElement, own: HtmlElement) -> str | None:
    """The id the comment's permalink targets: li#comment-N, or Twenty Ten's inner div#comment-N."""
    if (item.get("id") or "").startswith("comment-"):
        return item.get("id")
    return first_text(own, ".//*[starts-with(@id, 'comment-')]/@id") or item.get("id")


def _outer_items(items: list[HtmlElement]) -> list[HtmlElement]:
    """Without a theme's inner box of the same comment (li#li-comment-N > article#comment-N):
    an item inside another is a reply only when a replies list lies between them."""
    inside = set(items)
    return [item for item in items if not _boxed(item, inside)]


def _boxed(item: HtmlElement, items: set[HtmlElement]) -> bool:
    for ancestor in item.iterancestors():
        if ancestor in items:
            return True
        if ancestor.tag in ("ol", "ul") or "children" in ancestor.get("class", "").split():
            return False
    return False


def _wp_author(own: HtmlElement) -> tuple[str | None, HtmlElement | None]:
    nodes = own.xpath(_WP_AUTHOR)
    if not nodes:
        return None, None
    node = next((n for n in nodes if "fn" in n.get("class", "").split()), nodes[0])
    clean = without(node, f".//*[{any_class('says', 'avatar')}] | .//img", chrome=False)
    name = re.sub(r"\s+(?:says|sagt|dit|dice|schreibt):?$", "", squash(clean.text_content()), flags=re.IGNORECASE)
    return name or None, node


def _classic(own: HtmlElement, line: HtmlElement) -> tuple[str, str | None, str | None]:
    """Text, author and date of a Classic-theme comment whose signature is ``line``."""
    text = block_text(without(own, _CLASSIC_LINE, ".//img | .//script | .//noscript", chrome=False))
    signature = _CLASSIC_SIGNATURE.match(squash(line.text_content()))
    date = signature.group("date").replace(" @ ", " ") if signature else None
    date = re.sub(r"\s*\|.*$", "", date) if date else None  # the "| Reply" link after the time
    author = first_text(line, f".//*[{has_class('fn')}] | .//cite/a[not(starts-with(@href, '#'))]")
    return text, author or (signature.group("author") if signature else None), date


def wordpress(tree: HtmlElement) -> list[RawComment]:
    """WordPress (classic and block themes): comment items by comment_class(), threaded by
    nesting in ol/ul.children."""
    items = _outer_items(tree.xpath(_WP_ITEMS))
    index = {item: i for i, item in enumerate(items)}
    comments = []
    for item in items:
        own = without(item, _NESTED_LISTS, chrome=False)
        author, author_node = _wp_author(own)
        text_nodes = own.xpath(_WP_TEXT)
        text = block_text(without(text_nodes[0])) if text_nodes else block_text(without(own))
        date_text = first_date_text(own, *_WP_DATES)
        if not text_nodes and (signed := own.xpath(_CLASSIC_LINE)):
            text, author, date_text = _classic(own, signed[0])
        if author is None and ("pingback" in item.get("class", "") or "trackback" in item.get("class", "")):
            # A pingback without a vcard is just a link: the linking post's title.
            author = text = first_text(own, ".//a[@href]") or text
        comments.append(
            RawComment(
                text=text,
                author=author,
                author_url=first_text(author_node, "descendant-or-self::a/@href") if author_node is not None else None,
                date_text=date_text,
                machine_date=first_text(own, f"{_WP_DATE_BLOCK}//time/@datetime | .//time/@datetime"),
                site_id=_wordpress_id(item, own),
                parent_index=nearest(item, index),
            )
        )
    return comments


# Asked first: most pages hold none of these words, and the header searches below build
# the text of every element they test. One word per text node, as markup may split the
# phrase ("<span>Posted</span> by").
_HAS_POSTED_BY = XPath("boolean(//text()[contains(., 'Posted')])")
_HAS_SAID = XPath("boolean(//text()[contains(., 'said') or contains(., 'wrote')])")
_HAS_SAYS = XPath("boolean(//text()[contains(., 'says')])")
_SAID = re.compile(r"^On (?P<date>.+?), (?P<author>[^,]+?) (?:said|wrote):?$")
_COMMENT_ELEMENT = f"ancestor-or-self::*[{has_class('comment')} or starts-with(@id, 'comment-')][1]"


def on_date_said(tree: HtmlElement) -> list[RawComment]:
    """'On September 18, 2010 at 2:46 pm, anan said:' headers followed by the text."""
    if not _HAS_SAID(tree):
        return []
    headers = tree.xpath(
        "//*[self::p or self::div or self::span or self::cite or self::h4 or self::h5]"
        "[not(.//p or .//div)][starts-with(normalize-space(.), 'On ')]"
    )
    found: list[tuple[HtmlElement, HtmlElement, re.Match[str]]] = []
    containers: set[HtmlElement] = set()
    for header in headers:
        match = _SAID.match(squash(header.text_content()))
        container = header.getparent()
        # A second header in the same container is a quote ("On Tuesday, Kim said:").
        if match and container not in containers:
            containers.add(container)
            found.append((header, container, match))
    elements = [(container.xpath(_COMMENT_ELEMENT) or [container])[0] for _, container, _ in found]
    index = {element: i for i, element in enumerate(elements)}
    comments = []
    for (header, container, match), element in zip(found, elements, strict=True):
        body = without(container, f".//*[{has_class('comment')}]")
        for node in body.xpath(".//*"):
            if squash(node.text_content()) == match.group(0) and node.getparent() is not None:
                node.drop_tree()
                break
        # The marked-up name, when there is one, can hold a comma ("Robert Jones, Jr.").
        author = first_text(header, f".//*[{has_class('comment-author')} or self::cite or self::strong or self::b]")
        comments.append(
            RawComment(
                text=block_text(body),
                author=author or match.group("author"),
                author_url=first_text(header, ".//a[not(starts-with(@href, '#'))]/@href"),
                date_text=first_text(header, ".//a[starts-with(@href, '#')] | .//time") or match.group("date"),
                machine_date=first_text(header, ".//time/@datetime"),
                site_id=element.get("id") or container.get("id"),
                parent_index=nearest(element, index),
            )
        )
    return comments


_POSTED_BY = re.compile(r"^Posted by:?\s*(?P<author>.+?)\s+(?:at|\|)\s+(?P<date>.+?)(?:\s*\([^)]*\))?(?:\s*\|.*)?$")
# Movable Type 3.x's default templates put no comment class anywhere: the body in
# div#cN, then its p.posted line as the next sibling; a TrackBack ping the same way in
# p#pN ("Tracked on DATE"), no comment but no article text either.
_MT3_FOOTERS = "//p[@class='posted'][preceding-sibling::*[1][self::div or self::p][starts-with(@id, 'c')]]"
_MT3_PINGS = "//p[@class='posted'][preceding-sibling::*[1][self::p][starts-with(@id, 'p')]]"
_MT3_BODY = re.compile(r"c\d+")
_MT3_PING = re.compile(r"p\d+")


def _mark_pings(tree: HtmlElement) -> None:
    """The TrackBack section of MT 3.x's entry archive: h2#trackbacks, the TrackBack URL,
    "Listed below are links to weblogs that reference …" and the pings, up to the next h2."""
    for heading in tree.xpath("//h2[@id='trackbacks']"):
        heading.set(THREAD_MARK, "")
        for sibling in heading.itersiblings():
            if sibling.tag == "h2":
                break
            if isinstance(sibling.tag, str):
                sibling.set(THREAD_MARK, "")
    for footer in tree.xpath(_MT3_PINGS):
        ping = footer.getprevious()
        if _MT3_PING.fullmatch(ping.get("id", "")):
            ping.set(THREAD_MARK, "")
            footer.set(THREAD_MARK, "")


def posted_by(tree: HtmlElement) -> list[RawComment]:
    """Movable Type / Minx / TypePad: the text, then 'Posted by: NAME at DATE' (or '| DATE')."""
    comments: list[RawComment] = []
    _mark_pings(tree)
    footers = (
        tree.xpath(_MT3_FOOTERS)
        if not _HAS_POSTED_BY(tree)
        else tree.xpath(
            "//*[starts-with(normalize-space(.), 'Posted by')][not(.//*[starts-with(normalize-space(.), 'Posted by')])]"
            f"[ancestor::*[contains(@class, 'comment') or contains(@id, 'comment')]] | {_MT3_FOOTERS}"
        )
    )
    for footer in footers:
        match = _POSTED_BY.match(squash(footer.text_content()))
        if not match:
            continue
        previous = footer.getprevious()
        if footer.get("class") == "posted" and previous is not None and _MT3_BODY.fullmatch(previous.get("id", "")):
            container, body = previous, without(previous)
            # No class names the thread, so nothing else keeps it out of the article text.
            for element in (previous, footer):
                element.set(THREAD_MARK, "")
        else:
            container = footer.getparent()
            body = without(container, ".//*[starts-with(normalize-space(.), 'Posted by')]")
        # Minx and MT number their comments in the text itself ("1 It's bad news…").
        text = re.sub(rf"^{len(comments) + 1}\.?\s+", "", block_text(body))
        comments.append(
            RawComment(
                text=text,
                author=match.group("author"),
                author_url=first_text(
                    footer, ".//a[not(starts-with(@href, '#'))][not(contains(@class, 'permalink'))]/@href"
                ),
                date_text=match.group("date"),
                site_id=container.get("id") or first_text(container, ".//a[@name]/@name"),
            )
        )
    return comments


_NUMBERED = re.compile(r"^(?P<number>\d+)\.\s+(?P<author>.+?)\s+says:?$")


def numbered_says(tree: HtmlElement) -> list[RawComment]:
    """Custom themes: a '1. NAME says:' header, a date line, the text (div or dl layout)."""
    if not _HAS_SAYS(tree):
        return []
    comments = []
    headers = tree.xpath(
        "//*[self::h3 or self::h4 or self::h5 or self::dt or self::p or self::div or self::strong]"
        "[not(.//p or .//div or .//dt)][contains(normalize-space(.), ' says')]"
    )
    for header in headers:
        match = _NUMBERED.match(squash(header.text_content()))
        if not match:
            continue
        # <dt>header</dt><dd>text…</dd>, or header and text inside one comment container.
        container = header.getnext() if header.tag == "dt" else header.getparent()
        if container is None:
            continue
        dates = date_lines(container, skip=header)
        body = without_nodes(container, [header, *dates[:1]])
        comments.append(
            RawComment(
                text=block_text(body),
                author=first_text(header, ".//a | .//strong | .//b") or match.group("author"),
                author_url=first_text(header, ".//a[not(starts-with(@href, '#'))]/@href"),
                date_text=squash(dates[0].text_content()) if dates else None,
                machine_date=first_text(container, ".//time/@datetime"),
                site_id=container.get("id") or header.get("id"),
            )
        )
    return comments


def blogger(tree: HtmlElement) -> list[RawComment]:
    """Blogger: the classic dl#comments-block, or the threaded div.comment-thread layout."""
    comments = []
    for dt in tree.xpath(f"//dl[@id='comments-block']/dt[{has_class('comment-author')}]"):
        body = dt.getnext()
        footer = body.getnext() if body is not None else None
        author = first_text(without(dt, ".//a[@name]"), ".//a[not(@name)] | .")
        comments.append(
            RawComment(
                text=block_text(without(body)) if body is not None else "",
                author=re.sub(r"\s+said\.*:?$", "", author or "") or None,
                author_url=first_text(dt, ".//a[not(@name)]/@href"),
                date_text=first_text(footer, f".//*[{has_class('comment-timestamp')}]") if footer is not None else None,
                site_id=dt.get("id"),
            )
        )
    items = tree.xpath(f"//*[{has_class('comment-thread')}]//li[{has_class('comment')}]")
    index = {item: i for i, item in enumerate(items)}
    for item in items:
        block = item.xpath(f"./*[{has_class('comment-block')}]") or [item]
        comments.append(
            RawComment(
                text=block_text(without(block[0], f".//*[{has_class('comment-replies')}]")),
                author=first_text(block[0], f".//cite[{has_class('user')}]"),
                author_url=first_text(block[0], f".//cite[{has_class('user')}]//a/@href"),
                date_text=first_text(block[0], f".//*[{has_class('datetime')}]"),
                site_id=item.get("id"),
                parent_index=nearest(item, index),
            )
        )
    return comments
