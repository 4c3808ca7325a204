"""Where an element sits on the page: in the article, or in the site's chrome around it
(navigation, sidebars, widgets, comment threads), read from the class and id tokens of
its ancestors as a reader reads the layout."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.comments.markup import THREAD_MARK

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Parts of a page that are not the article, by a token of their class or id
# ("widget_recent_comments", "sidebar-first", "comment-wrapper").
AROUND_ARTICLE = re.compile(
    r"(?:^|[-_])(?:nav|navbar|navigation|menu|sidebar|widget|widgets|comments?|recent|related|recommended|popular|"
    r"promo|teaser|teasers|respond|rail|breadcrumbs?|newsletter|modal|popup|cookie|share|sharing|colophon)(?:$|[-_])",
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


def around_article(
    element: HtmlElement, tags: frozenset[str] = AROUND_TAGS, spared: frozenset[HtmlElement] = frozenset()
) -> bool:
    """Does the element sit in navigation, a sidebar, a widget or a comment thread?

    ``spared`` are containers known to hold the article (the ancestors of its headline):
    their names describe a layout ("pg-rail-tall", "with-sidebar"), not a sidebar.
    """
    for node in (element, *page_ancestors(element)):
        if node in spared:
            continue
        if node.tag in tags or node.get(THREAD_MARK) is not None:
            return True
        if any(AROUND_ARTICLE.search(token) and not _BUILDER_TOKEN.match(token) for token in tokens(node)):
            return True
    return False


def headline_containers(tree: HtmlElement) -> frozenset[HtmlElement]:
    """The containers of the page's <h1> headings: the article sits in them."""
    return frozenset(a for h1 in tree.iter("h1") for a in h1.iterancestors())
