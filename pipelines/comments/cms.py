"""Comment threads of content-management systems and forums: Drupal 7 and 8+, and the
forum engines (phpBB, vBulletin, XenForo, Discourse) whose topic is an article (its first
post) with the replies as comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.comments.markup import RawComment, any_class, block_text, first_text, has_class, squash, without

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Drupal 7 marks a comment with RDFa (typeof="sioc:Post sioct:Comment") or comment-by-*
# classes; Drupal 8+ with article.comment[data-comment-user-id]. Both render the body in
# the comment_body field.
_DRUPAL_ITEMS = (
    f"//*[{has_class('comment')}]"
    "[contains(@typeof, 'sioct:Comment') or contains(@class, 'comment-by-') or @data-comment-user-id"
    " or .//*[contains(@class, 'field-name-comment-body') or contains(@class, 'field--name-comment-body')]]"
)
_DRUPAL_BODY = (
    ".//*[contains(@class, 'field-name-comment-body') or contains(@class, 'field--name-comment-body')]"
    f" | .//*[{any_class('content', 'comment__content', 'comment-content')}]"
)
_DRUPAL_META = f".//*[{any_class('submitted', 'comment__meta', 'attribution', 'metas', 'comment-info')}]"
_DRUPAL_AUTHOR = (
    f".//*[@property='foaf:name'] | .//*[{any_class('username', 'comment__author', 'comment-author', 'author-name')}]"
)
_DRUPAL_CHROME = (
    f".//h3 | .//*[{any_class('links', 'submitted', 'comment__meta', 'attribution', 'metas', 'titre', 'rdf-meta')}]"
)
# "Submitted by NAME on DATE", "par NAME le DATE", "Von NAME am DATE", "Par NAME, le DATE".
_SUBMITTED = re.compile(
    r"^(?:submitted by|posted by|by|par|von|geschrieben von|eingereicht von|di|por)\s+(?P<author>.+?),?"
    r"\s+(?:on|le|am|at|il|el|den)\s+(?P<date>.+?)\.?$",
    re.IGNORECASE,
)


# Drupal's username theme adds " (not verified)" (translated) to an anonymous commenter's name.
_NOT_VERIFIED = re.compile(
    r"\s*\((?:not verified|nicht überprüft|nicht verifiziert|non vérifié|no verificado|non verificato"
    r"|niet geverifieerd|não verificado)\)$",
    re.IGNORECASE,
)


def _reply_parent(item: HtmlElement, index: dict[HtmlElement, int]) -> int | None:
    """Drupal nests replies in a div.indented right after the comment they answer."""
    for ancestor in item.iterancestors():
        if "indented" in ancestor.get("class", "").split():
            sibling = ancestor.getprevious()
            while sibling is not None and sibling not in index:
                sibling = sibling.getprevious()
            return index.get(sibling) if sibling is not None else None
        if ancestor in index:
            return index[ancestor]
    return None


def drupal(tree: HtmlElement) -> list[RawComment]:
    """Drupal 7 and 8+: "Submitted by NAME on DATE" (or its translation) and the comment_body field."""
    items = tree.xpath(_DRUPAL_ITEMS)
    inside = set(items)
    items = [item for item in items if not any(a in inside for a in item.iterancestors())] or items
    index = {item: i for i, item in enumerate(items)}
    comments = []
    for item in items:
        own = without(item, f".//*[{has_class('indented')}]", chrome=False)
        meta = first_text(own, _DRUPAL_META) or ""
        submitted = _SUBMITTED.match(meta)
        author = first_text(own, _DRUPAL_AUTHOR) or (submitted.group("author") if submitted else None)
        bodies = own.xpath(_DRUPAL_BODY)
        text = block_text(without(bodies[0], _DRUPAL_CHROME) if bodies else without(own, _DRUPAL_CHROME))
        comments.append(
            RawComment(
                text=text,
                author=_NOT_VERIFIED.sub("", squash(author)) or None,
                author_url=first_text(own, f".//a[{has_class('username')}]/@href"),
                date_text=first_text(own, f".//time | .//*[{has_class('comment__time')}]")
                or (submitted.group("date") if submitted else None),
                machine_date=first_text(own, ".//*[contains(@property, 'dc:date')]/@content | .//time/@datetime"),
                site_id=item.get("id") or (item.get("about") or "").rpartition("#")[2] or None,
                parent_index=_reply_parent(item, index),
            )
        )
    return comments


@dataclass(frozen=True, slots=True)
class ForumMarkup:
    """Where one forum engine puts a post and its parts."""

    posts: str
    author: str
    date: str
    machine_date: str
    text: str


FORUMS: dict[str, ForumMarkup] = {
    "phpbb": ForumMarkup(
        posts=f"//div[{has_class('post')}][starts-with(@id, 'p')][.//*[{has_class('postbody')}]]",
        author=f".//*[{has_class('author')}]//*[{has_class('username')} or {has_class('username-coloured')}]"
        f" | .//*[{has_class('postprofile')}]//*[{has_class('username')}]",
        date=f".//*[{has_class('author')}]//time | .//*[{has_class('author')}]",
        machine_date=f".//*[{has_class('author')}]//time/@datetime",
        text=f".//*[{has_class('postbody')}]//*[{has_class('content')}]",
    ),
    "vbulletin": ForumMarkup(
        posts=f"//li[starts-with(@id, 'post_')][{any_class('postbit', 'postbitim', 'postcontainer')}]"
        " | //table[starts-with(@id, 'post')][.//*[starts-with(@id, 'post_message_')]]",
        author=f".//*[{any_class('username', 'bigusername')}]",
        date=f".//*[{has_class('postdate')}] | .//*[{has_class('thead')}][1]",
        machine_date=".//time/@datetime",
        text=f".//*[starts-with(@id, 'post_message_')] | .//*[{has_class('postcontent')}]",
    ),
    "xenforo": ForumMarkup(
        posts=f"//article[{has_class('message')}][@data-author] | //li[{has_class('message')}][@data-author]",
        author="./@data-author",
        date=f".//time[{any_class('u-dt', 'DateTime')}] | .//*[{has_class('DateTime')}]",
        machine_date=f".//time[{has_class('u-dt')}]/@datetime | .//abbr[{has_class('DateTime')}]/@data-datestring",
        text=f".//*[{any_class('bbWrapper', 'messageText')}]",
    ),
    "discourse": ForumMarkup(
        posts=f"//div[{has_class('crawler-post')}] | //div[{has_class('topic-body')}][@itemprop]",
        author=f".//*[@itemprop='author']//*[@itemprop='name'] | .//*[{has_class('creator')}]",
        date=f".//time[@itemprop='datePublished'] | .//*[{has_class('post-time')}]",
        machine_date=".//time[@itemprop='datePublished']/@datetime | .//meta[@itemprop='datePublished']/@content",
        text=".//*[@itemprop='text'] | .//*[@itemprop='articleBody']",
    ),
}


_NAMES = f".//*[{any_class('username', 'username-coloured')}]"


def _date_line(text: str | None) -> str | None:
    """phpBB 3.0's "by NAME » DATE" line, without its name: the date."""
    return re.sub(r"^(?:by|von|par|di|por)?\s*[»«:|-]?\s*", "", text, flags=re.IGNORECASE) if text else None


def _read_post(post: HtmlElement, markup: ForumMarkup) -> RawComment:
    texts = post.xpath(markup.text)
    machine = first_text(post, markup.machine_date)
    return RawComment(
        text=block_text(without(texts[0])) if texts else "",
        author=first_text(post, markup.author),
        # The visible date often lacks the time the machine-readable one has.
        date_text=None if machine else _date_line(first_text(without(post, _NAMES, chrome=False), markup.date)),
        machine_date=machine,
        site_id=post.get("id"),
    )


def _topic_posts(tree: HtmlElement) -> tuple[list[HtmlElement], ForumMarkup] | None:
    for markup in FORUMS.values():
        if posts := tree.xpath(markup.posts):
            return posts, markup
    return None


def topic_post(tree: HtmlElement) -> RawComment | None:
    """The first post of a forum topic (the article: its text and its poster), or None on
    a page that is no topic."""
    if topic := _topic_posts(tree):
        posts, markup = topic
        return _read_post(posts[0], markup)
    return None


def forum(tree: HtmlElement) -> list[RawComment]:
    """A forum topic's replies: every post after the first (the first is the article)."""
    if topic := _topic_posts(tree):
        posts, markup = topic
        return [_read_post(post, markup) for post in posts[1:]]
    return []
