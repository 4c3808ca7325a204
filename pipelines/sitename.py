"""The site's own name, to tell it from a headline or an author.

A site names itself in ``og:site_name``, JSON-LD ``publisher`` / ``WebSite``, the
``application-name`` meta, its logo heading and its host name; in ``<title>`` it is a
segment before or after the headline ("Headline | The City Ledger", "Blog » Post").
Names are compared by their letters and digits only, so "LECKER", "lecker.de" and
"www.lecker.de" are one name, and a segment within a longer name ("Teufel Blog" in "Das
Lautsprecher Teufel Blog") is that name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pipelines.declarations import declarations
from pipelines.jsonld import node_types, text_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from lxml.html import HtmlElement

# What separates a site's name from the headline in <title>, og:title and bylines: a
# hyphen or slash only with spaces around it ("Paris-8" is a word), a colon with a space
# after it ("Blog Name: Post Title", Movable Type's default; "10:45" is a time).
SEPARATOR = re.compile(r"\s+[|\-–—:»«·•⋆›‹~/]{1,2}\s+|\s*[|»«·•⋆›‹]\s*|:\s+|\s*\.?::\.?\s*")
_HOST_PREFIXES = ("www", "m", "mobile", "amp", "blog", "blogs", "news")
# A name and a text that begins or ends with it and is this much longer are a headline
# that mentions the site.
_MAX_EXTRA_CHARS = 12
_MIN_KEY_CHARS = 3


# What str.isalnum() rejects (\w is isalnum() and "_").
_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=8192)
def name_key(text: str) -> str:
    """Letters and digits only, case and accents folded: the identity of a name."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKD", text.casefold()))


def host_keys(url: str) -> set[str]:
    """The host's name as a site writes it: "taz.de" → {"tazde", "taz"}; "wien.orf.at" →
    {"wienorfat", "orfat", "orf", "wien"}."""
    host = (urlsplit(url).hostname or "").lower()
    labels = [label for label in host.split(".") if label]
    while len(labels) > 2 and labels[0] in _HOST_PREFIXES:
        labels = labels[1:]
    keys = {name_key(".".join(labels[i:])) for i in range(len(labels) - 1)}
    keys.update(name_key(label) for label in labels[:-1] if len(label) >= _MIN_KEY_CHARS)
    return {k for k in keys if len(k) >= _MIN_KEY_CHARS}


@dataclass(frozen=True, slots=True)
class SiteNames:
    """Every name the page gives its site, and the host's."""

    keys: frozenset[str]
    hosts: frozenset[str]

    def extended(self, names: Iterable[str]) -> SiteNames:
        """These names and ``names`` (a logo heading's text, a name learned for a source)."""
        return SiteNames(self.keys | {k for n in names if len(k := name_key(n)) >= _MIN_KEY_CHARS}, self.hosts)

    def without_name(self, text: str) -> str:
        """The text without the site's name written after it ("JANE ROE THE CITY LEDGER")."""
        words = text.split()
        # A name keeps two words at least: "Frau Sabienes" on her blog "Sabienes" is her name.
        for cut in range(2, len(words)):
            if (key := name_key(" ".join(words[cut:]))) in self.keys or key in self.hosts:
                return " ".join(words[:cut])
        return text

    def matches(self, text: str) -> bool:
        """Is ``text`` the site's name (or its host written out, or a short form of it)?"""
        key = name_key(text)
        if len(key) < _MIN_KEY_CHARS:
            return False
        if key in self.keys or key in self.hosts:
            return True
        for known in self.keys | self.hosts:
            shorter, longer = sorted((key, known), key=len)
            if (
                len(shorter) >= 4
                and (longer.startswith(shorter) or longer.endswith(shorter))
                and len(longer) - len(shorter) <= _MAX_EXTRA_CHARS
            ):
                return True
        return False


def node_types_of(value: Any) -> set[str]:
    return node_types(value) if isinstance(value, dict) else set()


def _declared_site_names(tree: HtmlElement) -> list[str]:
    # Not application-name or apple-mobile-web-app-title: many CMSs fill them with the page title.
    return declarations(tree).meta_content(properties=("og:site_name",), names=("og:site_name", "twitter:site"))


def site_names(
    tree: HtmlElement, url: str, nodes: list[dict[str, Any]], extra: tuple[str | None, ...] = ()
) -> SiteNames:
    """The site's names from its metadata, its JSON-LD publisher and website, and ``extra``
    (trafilatura's sitename, a logo heading)."""
    names: list[str] = [*_declared_site_names(tree), *(e for e in extra if e)]
    for node in nodes:
        if node_types(node) & {"website", "organization", "newsmediaorganization"} and (name := text_value(node)):
            names.append(name)
        # A blog's publisher may be its writer (a Person): that is no site name.
        publisher = node.get("publisher")
        if (name := text_value(publisher)) is not None and "person" not in node_types_of(publisher):
            names.append(name)
    keys = set()
    for name in names:
        # "Name - Tagline" or "Tagline • Name": the name alone is the site's too.
        parts = SEPARATOR.split(name)
        for part in {name, parts[0], parts[-1]}:
            if len(key := name_key(part.lstrip("@"))) >= _MIN_KEY_CHARS:
                keys.add(key)
    return SiteNames(frozenset(keys), frozenset(host_keys(url)))
