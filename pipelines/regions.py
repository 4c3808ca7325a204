"""Where an element sits on the page: in the article, or in the site's chrome around it
(navigation, sidebars, widgets, comment threads), read from the class and id tokens of
its ancestors as a reader reads the layout."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.comments.markup import THREAD_MARK

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Parts of a page that are not the article, by a token of their class or id
# ("widget_recent_comments", "sidebar-first", "comment-wrapper").
AROUND_ARTICLE = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|sidebar|widget|widgets|comments?|recent|related|recommended|popular|"
    r"promo|teaser|teasers|respond|rail|breadcrumbs?|newsletter|modal|popup|cookie|share|sharing)(?:$|[-_])",
    re.IGNORECASE,
)
AROUND_TAGS = frozenset({"nav", "aside", "form", "button", "select"})
# Text a screen reader gets but the page does not show.
_HIDDEN_TOKEN = re.compile(
    r"^(?:sr-only|screen-reader-text|screen-reader|visually-?hidden|visuallyhidden|hidden|invisible|offscreen|"
    r"element-invisible|assistive-text|u-hidden|a11y|hide)$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def tokens(element: HtmlElement) -> list[str]:
    """The element's class and id tokens."""
    return f"{element.get('class') or ''} {element.get('id') or ''}".split()


def hidden(element: HtmlElement) -> bool:
    """Hidden from sight by a screen-reader class or an inline style."""
    return any(_HIDDEN_TOKEN.match(t) for t in (element.get("class") or "").split()) or bool(
        _HIDDEN_STYLE.search(element.get("style") or "")
    )


def page_ancestors(element: HtmlElement) -> list[HtmlElement]:
    """The element's ancestors below <body>: classes of <body> and <html> describe the
    whole page ("has-sidebar", "showing-comments"), not where an element sits."""
    return [a for a in element.iterancestors() if a.tag not in ("body", "html")]


# Page builders name every block a "widget" (Elementor's "elementor-widget-text-editor"
# holds the post itself): their tokens say what a block is, not where.
_BUILDER_TOKEN = re.compile(r"^(?:elementor|et_pb|fl-|vc_|wpb_)", re.IGNORECASE)
# A comment thread is never the article, however much of the page it fills.
_THREAD_TOKEN = re.compile(r"(?:^|[-_])(?:comments?|respond)(?:$|[-_])", re.IGNORECASE)
# A container holding this share of the page's text holds the article, whatever its
# name says (Blogger's posts sit in a "widget Blog", CNN's in a "pg-rail-tall").
_ARTICLE_SHARE = 0.5


class PageLayout:
    """Where elements sit on one page: in the article, or in the chrome around it."""

    def __init__(self, tree: HtmlElement) -> None:
        self._tree = tree
        self._page_chars = 0  # counted when first needed
        self._holds: dict[HtmlElement, bool] = {}
        # The heading the title was read from, and the containers known to hold the
        # article (its ancestors).
        self.headline: HtmlElement | None = None
        self.spared: frozenset[HtmlElement] = frozenset()
        # Each element's own verdict, by the tags that count as chrome: the headings and
        # credit candidates of one page share most of their ancestors.
        self._chrome: dict[tuple[HtmlElement, frozenset[str]], bool] = {}

    def holds_article(self, node: HtmlElement) -> bool:
        """Does the container hold most of the page's text?"""
        if node not in self._holds:
            if not self._page_chars:
                body = self._tree.find("body")
                self._page_chars = max(1, _chars(body if body is not None else self._tree))
            needed = _ARTICLE_SHARE * self._page_chars
            # The raw length bounds the count from above and skips its two string passes:
            # most named containers (sidebars, widgets) are far too small to hold it.
            self._holds[node] = _RAW_LENGTH(node) >= needed and _chars(node) >= needed
        return self._holds[node]

    def spare_headline(self, tree: HtmlElement, headline: HtmlElement | None) -> None:
        """The containers of the article's headline (else of the page's <h1> headings)
        hold the article, whatever they are called."""
        self.headline = headline
        headings = [headline] if headline is not None else list(tree.iter("h1"))
        self.spared = frozenset(a for heading in headings for a in heading.iterancestors())
        self._chrome.clear()  # a spared container is chrome no more

    def around_article(self, element: HtmlElement, tags: frozenset[str] = AROUND_TAGS) -> bool:
        """Does the element sit in navigation, a sidebar, a widget or a comment thread?"""
        for node in (element, *page_ancestors(element)):
            key = (node, tags)
            if (chrome := self._chrome.get(key)) is None:
                chrome = self._chrome[key] = self._is_chrome(node, tags)
            if chrome:
                return True
        return False

    def _is_chrome(self, node: HtmlElement, tags: frozenset[str]) -> bool:
        if node.get(THREAD_MARK) is not None:
            return True
        # An <aside> right inside the article's own container is its info box (its
        # credits and dates), not the page's sidebar.
        if node.tag in tags and not (node.tag == "aside" and node.getparent() in self.spared):
            return True
        chrome = [t for t in tokens(node) if AROUND_ARTICLE.search(t) and not _BUILDER_TOKEN.match(t)]
        if not chrome:
            return False
        if any(_THREAD_TOKEN.search(t) for t in chrome):
            return True
        return node not in self.spared and not self.holds_article(node)


def _chars(element: HtmlElement) -> int:
    """Characters a reader sees in the element, spaces not counted (no scripts, no styles):
    counted by libxml2 in one string, as a walk over the text nodes in Python cost 40%
    of reading the page's titles."""
    unseen = sum(int(_VISIBLE_LENGTH(node)) for node in _UNSEEN(element))
    return int(_VISIBLE_LENGTH(element)) - unseen


_VISIBLE_LENGTH = XPath("string-length(translate(normalize-space(.), ' ', ''))")
_RAW_LENGTH = XPath("string-length(.)")
_UNSEEN_TAG = "self::script or self::style or self::noscript"
_UNSEEN = XPath(f".//*[{_UNSEEN_TAG}][not(ancestor::*[{_UNSEEN_TAG}])]")
