"""What a page says about itself in its markup: its <meta> tags, <link> elements, <title>
and JSON-LD blocks, gathered in one walk of the tree, and the names it gives its parts
(their id, class, rel and itemprop values), read once for every reader.

The titles, the site name, the canonical URL, the page kind, the publication date and
the JSON-LD comments each asked the whole tree for theirs with an XPath of their own
("//meta[@property='og:title']/@content"): a dozen walks of every element of the page,
~0.2 ms each on a real page. ``declarations(tree)`` walks it once (libxml2 picks the
four tags out) and answers each of those questions, in document order as the XPath
did, from the few elements it kept.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Collection
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lxml.etree import XPath

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Attribute values come back as strings that know their element (``.attrname``,
# ``.getparent()``): testing them in Python costs a fraction of a Python loop over the
# elements reading their attributes, and only a match builds its element's object.
_LABELS = XPath("//@id | //@class | //@rel | //@itemprop")


class PageDeclarations:
    """The declaring elements of one page; the page's tree must not gain or lose them
    meanwhile (analysis only marks elements and prunes copies)."""

    def __init__(self, root: HtmlElement) -> None:
        self._root = root
        self.metas: list[HtmlElement] = []
        self.links: list[HtmlElement] = []
        self.titles: list[HtmlElement] = []  # not an SVG icon's <title>
        self.json_ld_texts: list[str] = []
        for element in root.iter("meta", "link", "title", "script"):
            tag = element.tag
            if tag == "meta":
                self.metas.append(element)
            elif tag == "link":
                self.links.append(element)
            elif tag == "title":
                if not any(ancestor.tag == "svg" for ancestor in element.iterancestors()):
                    self.titles.append(element)
            elif element.get("type") == "application/ld+json" and element.text is not None:
                self.json_ld_texts.append(element.text)

    def meta_content(self, *, properties: Collection[str] = (), names: Collection[str] = ()) -> list[str]:
        """The content of every <meta> whose property or name is one of these."""
        return [
            content
            for meta in self.metas
            if (meta.get("property") in properties or meta.get("name") in names)
            and (content := meta.get("content")) is not None
        ]

    def link_href(self, rel: str) -> list[str]:
        """The href of every <link> whose rel attribute is exactly ``rel``."""
        return [href for link in self.links if link.get("rel") == rel and (href := link.get("href")) is not None]

    @cached_property
    def labels(self) -> list[Any]:
        """Every id, class, rel and itemprop value of the page, in document order (read
        on first use; the page's tree must not change them meanwhile)."""
        return _LABELS(self._root)

    @cached_property
    def json_ld_documents(self) -> list[Any]:
        """The JSON-LD blocks, parsed, in page order (one that is no JSON left out).
        Shared by every reader of the page: read them, never change them."""
        documents = []
        for text in self.json_ld_texts:
            try:
                documents.append(json.loads(text))
            except ValueError:
                continue
        return documents


# The last few pages' declarations, by their root element (held, so that its identity
# stays the page's): a page is analysed, and its comment pages with it, then let go.
_RECENT_PAGES = 4
_recent: OrderedDict[int, tuple[HtmlElement, PageDeclarations]] = OrderedDict()
_recent_guard = threading.Lock()


def declarations(tree: HtmlElement) -> PageDeclarations:
    """The declarations of the page ``tree`` belongs to, read on the first call for it."""
    root = tree.getroottree().getroot()
    with _recent_guard:
        held = _recent.get(id(root))
        if held is not None and held[0] is root:
            _recent.move_to_end(id(root))
            return held[1]
    found = PageDeclarations(root)
    with _recent_guard:
        _recent[id(root)] = (root, found)
        while len(_recent) > _RECENT_PAGES:
            _recent.popitem(last=False)
    return found
