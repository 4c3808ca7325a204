# ruff: noqa: E501  (HTML templates: long lines)
"""Comment markup: schema.org JSON-LD, with a visible rendering in custom class names."""

from __future__ import annotations

import json

from .dates import iso, z
from .model import Comment, Page, children, slug
from .text import attr, blocks_html, esc

_CLASS_ROLES = ("item", "who", "when", "body", "replies", "list")
JSONLD_CLASSES = {
    theme: dict(zip(_CLASS_ROLES, classes.split(), strict=True))
    for theme, classes in {
        "nested": "c-item c-who c-when c-body c-replies c-list",
        "graph": "resp resp-name resp-date resp-text resp-children resp-list",
        "forum": "post-reply reply-user reply-time reply-msg reply-quotes reply-stream",
        "plain": "talk-entry talk-name talk-date talk-body talk-replies talk-stream",
    }.items()
}


JSONLD_ANCHOR = {"nested": "c", "graph": "c-", "forum": "post-", "plain": "t"}
JSONLD_HEADING = {
    "nested": "{n} Kommentare",
    "graph": "Comentários ({n})",
    "forum": "{n} replies",
    "plain": "Conversation · {n}",
}


def jsonld_comments(p: Page, theme: str) -> tuple[str, str]:
    """Comments in JSON-LD (BlogPosting/NewsArticle/DiscussionForumPosting/Article) plus a
    visible rendering in custom class names that no other markup knows."""
    cs = p.comments
    names = JSONLD_CLASSES[theme]
    for c in cs:
        c.site_id = f"{JSONLD_ANCHOR[theme]}{c.num}"
    tops = children(cs, None)
    data = JSONLD_DOCUMENTS[theme](p, theme, tops)
    ld_json = json.dumps(data, ensure_ascii=False, indent=2 if theme != "graph" else None)
    body = "".join(visible_comment(p, names, c) for c in tops)
    heading = JSONLD_HEADING[theme].format(n=len(cs))
    html_ = f"""<div class="{names["list"]}-wrap" id="discussion">
<h2 class="{names["list"]}-title">{heading}</h2>
<div class="{names["list"]}">
{body}</div>
</div>"""
    return html_, ld_json


def ld_author(c: Comment):
    if c.extra.get("author_string"):
        return c.author
    a = {"@type": "Person", "name": c.author}
    if c.url:
        a["url"] = c.url
    return a


def ld_text(c: Comment) -> str:
    text = "\n\n".join(c.lines())
    if c.extra.get("ld_entities"):
        text = text.replace("'", "&#39;")
    return text


def ld_comment(p: Page, theme: str, c: Comment, nested: bool) -> dict:
    d = {"@type": "Comment", "@id": f"{p.url}#{c.site_id}", "author": ld_author(c)}
    d["dateCreated"] = z(c.when) if theme == "graph" else iso(c.when)
    d["text"] = ld_text(c)
    if c.votes is not None:
        d["upvoteCount"] = c.votes
    if theme == "forum":
        d["interactionStatistic"] = {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/LikeAction",
            "userInteractionCount": c.votes or 0,
        }
        d.pop("upvoteCount", None)
    if theme == "graph" and c.parent is not None:
        d["parentItem"] = {"@id": f"{p.url}#{c.parent.site_id}"}
    kids = children(p.comments, c)
    if nested and kids:
        d["comment"] = [ld_comment(p, theme, k, nested) for k in kids]
    return d


def visible_comment(p: Page, names: dict, c: Comment) -> str:
    kids = "".join(visible_comment(p, names, k) for k in children(p.comments, c))
    who = f'<a href="{attr(c.url)}" rel="nofollow ugc">{esc(c.author)}</a>' if c.url else esc(c.author)
    edited = ' <span class="edited-flag">(edited)</span>' if c.edited else ""
    votes = f' <span class="votes">▲ {c.votes} ▼</span>' if c.votes is not None else ""
    replies = f'<div class="{names["replies"]}">\n{kids}</div>\n' if kids else ""
    return f"""<div class="{names["item"]}" id="{c.site_id}" data-depth="{c.depth - 1}">
<div class="{names["item"]}-head"><span class="{names["who"]}">{who}</span> <span class="{names["when"]}">{c.shown}</span>{edited}</div>
<div class="{names["body"]}">{blocks_html(c.blocks)}</div>
<div class="{names["item"]}-tools"><button type="button">Reply</button> <a href="#report-{c.site_id}" class="report">Report</a>{votes}</div>
{replies}</div>
"""


def _person(p: Page) -> dict:
    return {"@type": "Person", "name": p.art["byline"]}


def ld_nested(p: Page, theme: str, tops: list) -> dict:
    author, pub, cs = _person(p), p.published, p.comments
    return {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "mainEntityOfPage": p.url,
        "headline": p.art["title"],
        "datePublished": iso(pub),
        "author": author,
        "publisher": {"@type": "Organization", "name": p.site},
        "commentCount": len(cs),
        "comment": [ld_comment(p, theme, c, True) for c in tops],
    }


def ld_graph(p: Page, theme: str, tops: list) -> dict:
    author, pub, cs = _person(p), p.published, p.comments
    return {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": f"{p.base}#website", "url": p.base, "name": p.site},
            {
                "@type": "WebPage",
                "@id": p.url,
                "url": p.url,
                "name": p.art["title"],
                "isPartOf": {"@id": f"{p.base}#website"},
            },
            {
                "@type": "NewsArticle",
                "@id": f"{p.url}#article",
                "isPartOf": {"@id": p.url},
                "headline": p.art["title"],
                "datePublished": z(pub),
                "author": [author],
                "commentCount": len(cs),
                "comment": [ld_comment(p, theme, c, False) for c in cs],
            },
        ],
    }


def ld_forum(p: Page, theme: str, tops: list) -> dict:
    pub, cs = p.published, p.comments
    return {
        "@context": "https://schema.org",
        "@type": "DiscussionForumPosting",
        "@id": p.url,
        "headline": p.art["title"],
        "text": "\n\n".join(p.paras),
        "url": p.url,
        "author": {"@type": "Person", "name": p.art["byline"], "url": f"{p.base}members/{slug(p.art['byline'])}/"},
        "datePublished": iso(pub),
        "commentCount": len(cs),
        "comment": [ld_comment(p, theme, c, True) for c in tops],
    }


def ld_plain(p: Page, theme: str, tops: list) -> dict:
    author, pub = _person(p), p.published
    return {
        "@context": "http://schema.org",
        "@type": "Article",
        "headline": p.art["title"],
        "url": p.url,
        "datePublished": iso(pub),
        "author": author,
        "comment": [ld_comment(p, theme, c, True) for c in tops],
    }


JSONLD_DOCUMENTS = {"nested": ld_nested, "graph": ld_graph, "forum": ld_forum, "plain": ld_plain}
