"""trafilatura's own parts newsdedup calls below its public API, each held equal to the
public function it stands in for by tests/test_trafilatura_compat.py, so that a
trafilatura upgrade which changes one fails that test instead of the extraction.

- ``parse_markup``: ``trafilatura.load_html`` of a decoded page (its repairs of what trips
  libxml2, its parser's settings), with a parser that gives every element lxml.html's
  ``HtmlElement`` class from C. lxml.html's own parser asks a Python callback for the
  class of every element proxy it makes (form and input elements have their own):
  ~6,600 calls a real page, 2–4 ms of analysis, and nothing here or in trafilatura uses
  the form classes.
- ``PageMetadata``: the fields of ``trafilatura.extract_metadata``, whose author XPaths
  over a copy of the whole tree, htmldate's extensive date search and licence cost
  ~6.4 ms of its ~8.9 a real page. newsdedup reads titles, credits and dates itself and
  takes trafilatura's author, date and title only as its last fallback, so the meta
  tags, JSON-LD, site name, categories and tags are read when it is built and the
  author, date and title the first time they are asked for, each as
  ``extract_metadata`` would.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import TYPE_CHECKING, Any

import lxml.html
from htmldate import find_date
from lxml.etree import ElementDefaultClassLookup, LxmlError
from trafilatura.metadata import (
    META_URL,
    examine_meta,
    extract_author,
    extract_catstags,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document
from trafilatura.utils import is_dubious_html, line_processing, repair_faulty_html

from pipelines.declarations import declarations

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# trafilatura.utils.HTML_PARSER's settings.
_PARSER = lxml.html.HTMLParser(
    collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True, remove_pis=True
)
_PARSER.set_element_class_lookup(
    ElementDefaultClassLookup(
        element=lxml.html.HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)

logger = logging.getLogger(__name__)

# htmldate's search as trafilatura's bare_extraction was asked for it: the slow,
# thorough one, the original (not the updated) date.
DATE_PARAMS: dict[str, Any] = {"extensive_search": True, "original_date": True, "outputformat": "%Y-%m-%dT%H:%M:%S"}

# extract_catstags keeps only the links its XPaths find whose href holds /category/ or
# /tag/ (its own regex); the XPaths (EXSLT regexes run on every div) are its cost. A page
# whose markup has no such path has no such link, and gets what extract_catstags gives
# then: no tags, and for categories its fallback, the article:section and subject meta tags.
_LINK_PATHS = {"category": "/categor", "tag": "/tag"}
# Each of trafilatura's AUTHOR_XPATHS tests an element's class, id, rel, itemprop,
# data-testid or data-component for one of these words, or names an <author> or <rel>
# element. A page whose id, class, rel and itemprop values hold none of the words
# (lower-cased), and whose markup has no data-testid, data-component, <author> or <rel>,
# leaves extract_author nothing to find, and the copy of the whole tree it prunes before
# its XPaths is not made (~10 ms a real page where it runs). A word in the page's text,
# a link or a meta tag does not count: 76 of the 348 real pages asked hold one only there.
_AUTHOR_WORDS = (
    "uthor", "byl", "bbl", "username", "screenname", "writer", "zuozhe", "bianji", "xiaobian",
    "channel-name", "submitted-by", "posted-by", "journalist-name",
)  # fmt: skip
_AUTHOR_MARKUP = ("data-testid", "data-component", "<author", "<rel")
_SECTION_META = './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'


def parse_markup(markup: str) -> HtmlElement | None:
    """The tree ``trafilatura.load_html(markup)`` gives, or None where it gives None."""
    beginning = markup[:50].lower()
    markup = repair_faulty_html(markup, beginning)
    tree: HtmlElement | None = None
    read_as_bytes = False
    try:
        tree = lxml.html.fromstring(markup, parser=_PARSER)
    except ValueError:  # a string declaring its own encoding: libxml2 takes it as bytes
        tree, read_as_bytes = _from_bytes(markup), True
    except LxmlError:  # "Document is empty"
        tree = None
    if (tree is None or len(tree) < 1) and not read_as_bytes:
        tree = _from_bytes(markup)
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None  # load_html's test for text that is no HTML at all
    return tree


def _from_bytes(markup: str) -> HtmlElement | None:
    try:
        return lxml.html.fromstring(markup.encode("utf8", "surrogatepass"), parser=_PARSER)
    except (LxmlError, ValueError):
        return None


def _trimmed(**field: Any) -> Any:
    """One field as extract_metadata leaves it (Document.clean_and_trim: entities, spaces,
    control characters, length)."""
    document = Document(**field)
    document.clean_and_trim()
    ((name, _),) = field.items()
    return getattr(document, name)


class PageMetadata:
    """The fields of ``trafilatura.extract_metadata(tree, url, DATE_PARAMS)``, the author,
    date and title read on first use. The tree must not change in between."""

    def __init__(self, tree: HtmlElement, url: str | None, markup: str | None = None) -> None:
        """``markup``: the decoded HTML the tree was parsed from (pipelines.html.read_page),
        searched for the paths category and tag links and the words author bylines need
        before their XPaths run."""
        self._tree, self._markup = tree, markup
        meta = examine_meta(tree)
        if meta.author and " " not in meta.author:
            meta.author = None  # a single word in an author meta tag is a login, not a name
        try:
            meta = extract_meta_json(tree, meta)
        except Exception as exc:  # trafilatura catches its JSON-LD reader's bugs the same way
            logger.debug("%s: trafilatura's JSON-LD metadata failed: %s", url, exc)
        self._meta = meta
        self.url: str | None = meta.url or extract_url(tree, url)
        self.sitename: str | None = _trimmed(sitename=self._sitename())
        self.description: str | None = _trimmed(description=meta.description)
        self.categories: list[str] = meta.categories or _catstags("category", tree, markup)
        self.tags: list[str] = meta.tags or _catstags("tag", tree, markup)

    def _sitename(self) -> str | None:
        name = self._meta.sitename or extract_sitename(self._tree)
        if name:
            name = name.lstrip("@")
            if name and "." not in name and not name[0].isupper():
                name = name.title()
            return name
        match = META_URL.match(self.url) if self.url else None
        return match[1] if match else None

    @cached_property
    def author(self) -> str | None:
        """trafilatura's author guess: the meta tags and JSON-LD, else its byline XPaths."""
        author = self._meta.author
        if not author and self._may_credit():
            author = extract_author(self._tree)
        return _trimmed(author=author)

    def _may_credit(self) -> bool:
        if self._markup is None:
            return True
        lowered = self._markup.lower()
        if any(word in lowered for word in _AUTHOR_MARKUP):
            return True
        names = "\n".join(declarations(self._tree).labels).lower()
        return any(word in names for word in _AUTHOR_WORDS)

    @cached_property
    def date(self) -> str | None:
        """htmldate's publication date (ISO 8601), as trafilatura asks for it."""
        return _trimmed(date=find_date(self._tree, **DATE_PARAMS, url=self.url))

    @cached_property
    def title(self) -> str | None:
        return _trimmed(title=self._meta.title or extract_title(self._tree))


def _catstags(kind: str, tree: HtmlElement, markup: str | None) -> list[str]:
    if markup is None or _LINK_PATHS[kind] in markup:
        return extract_catstags(kind, tree)
    if kind != "category":
        return []
    sections = (element.attrib["content"] for element in tree.xpath(_SECTION_META))
    return [value for value in dict.fromkeys(line_processing(section) for section in sections if section) if value]
