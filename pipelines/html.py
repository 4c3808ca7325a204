"""Turning fetched bytes into an lxml tree: content sniffing, charset, parsing."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import lxml.html
from w3lib.encoding import html_to_unicode

from pipelines.errors import EmptyPage, NotHtml, PageTooLarge
from pipelines.trafilatura_compat import parse_markup

HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
# The WHATWG MIME-sniffing patterns for HTML (a browser's "unknown type" rules) plus
# <meta>; then an XHTML prolog or a server's warning printed before <html>.
_MARKUP_START = re.compile(
    rb"^[\t\n\x0c\r ]*(?:<!--|<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body"
    rb"|br|p|meta)[\s>/])",
    re.IGNORECASE,
)
_HTML_ELEMENT = re.compile(rb"<(?:html|body)[\s>]", re.IGNORECASE)


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """Trust a declared content type; with none (file://, saved pages) sniff the first bytes."""
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_CONTENT_TYPES
    head = body[:1024].lstrip(b"\xef\xbb\xbf")
    return b"\x00" not in head and bool(_MARKUP_START.match(head) or _HTML_ELEMENT.search(head))


def _cp1252_for_invalid_bytes(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("cp1252", errors="replace"), error.end


# Mixed pages: UTF-8 with a few windows-1252 bytes pasted in (an old post, a widget).
codecs.register_error("newsdedup-cp1252", _cp1252_for_invalid_bytes)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode like a browser: HTTP charset, then BOM, then <meta charset>, then a guess.

    w3lib's html_to_unicode is what Scrapy's TextResponse uses, so a page decodes the
    same in a live crawl, a file:// import and a test. Bytes that are not valid in that
    charset (a windows-1252 page served as UTF-8) are decoded by detection instead of
    being stored as U+FFFD.
    """
    encoding, text = html_to_unicode(content_type, body)
    if "\ufffd" not in text:
        return text
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return _decode_mislabelled(body, encoding)
    except LookupError:
        pass
    return text  # the page really holds U+FFFD characters


def _decode_mislabelled(body: bytes, declared: str) -> str:
    try:
        return body.decode("utf-8")  # labelled something else, but UTF-8
    except UnicodeDecodeError:
        pass
    sequences = _UTF8_MULTIBYTE.findall(body)
    stray = len(_HIGH_BYTE.findall(body)) - sum(map(len, sequences))
    # Single-byte text makes a valid UTF-8 sequence only by accident (two high bytes in a
    # row, the second a continuation byte): many of them mean a UTF-8 page with some
    # windows-1252 bytes pasted in (an old post, a widget).
    if codecs.lookup(declared).name == "utf-8" and len(sequences) * 10 > stray:
        return body.decode("utf-8", errors="newsdedup-cp1252")
    guesses = charset_normalizer.from_bytes(body)
    best = guesses.best()
    if best is None:
        return body.decode("cp1252", errors="replace")
    # On a tie, the web's most common legacy charset (short texts fit several code pages).
    western = next((g for g in guesses if g.encoding == "cp1252" and g.chaos <= best.chaos), None)
    return str(western or best)


def parse_page(body: bytes, content_type: str | None, url: str, max_bytes: int) -> lxml.html.HtmlElement:
    """Check, decode and parse one page, raising a RejectedPage with the reason."""
    return read_page(body, content_type, url, max_bytes)[0]


def read_page(body: bytes, content_type: str | None, url: str, max_bytes: int) -> tuple[lxml.html.HtmlElement, str]:
    """parse_page's tree and the decoded markup it was parsed from (a word missing from
    the markup is missing from the page: the comment parsers look there before walking
    the tree)."""
    if not body.strip():
        raise EmptyPage("empty response body")
    if len(body) > max_bytes:
        raise PageTooLarge(f"{len(body)} bytes is over the {max_bytes}-byte limit (EXTRACT_MAX_BYTES)")
    if not looks_like_html(body, content_type):
        declared = content_type or "no content type"
        raise NotHtml(f"not an HTML page ({declared})")
    # An XHTML prolog names an encoding, which lxml refuses on text it gets already decoded.
    markup = _XML_DECLARATION.sub("", decode_html(body, content_type), count=1)
    # As trafilatura's own loader parses it: its parser settings and its repairs of what
    # trips libxml2 (a doctype that makes it drop the body, characters invalid in XML),
    # so the extractor sees the tree it was tuned on.
    tree = parse_markup(markup)
    if tree is None:
        raise EmptyPage("unparseable HTML: no document structure")
    # The first text that is not blank, not the page's whole text joined into one string.
    if not any(text.strip() for text in tree.itertext()):
        raise EmptyPage("HTML without any text")
    return tree, markup
