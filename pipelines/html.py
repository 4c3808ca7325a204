"""Turning fetched bytes into an lxml tree: content sniffing, charset, parsing."""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import ParserError
from w3lib.encoding import html_to_unicode

from pipelines.errors import EmptyPage, NotHtml, PageTooLarge

HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
_MARKUP_START = re.compile(rb"^\s*<(?:!doctype\s+html|html|head|body|meta|title|div|p|!--)", re.IGNORECASE)


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """Trust a declared content type; with none (file://, saved pages) sniff the first bytes."""
    if content_type:
        return content_type.split(";")[0].strip().lower() in HTML_CONTENT_TYPES
    head = body[:1024].lstrip(b"\xef\xbb\xbf")
    return b"\x00" not in head and bool(_MARKUP_START.match(head))


def decode_html(body: bytes, content_type: str | None) -> str:
    """Decode like a browser: HTTP charset, then BOM, then <meta charset>, then a guess.

    w3lib's html_to_unicode is what Scrapy's TextResponse uses, so a page decodes the
    same in a live crawl, a file:// import and a test.
    """
    _encoding, text = html_to_unicode(content_type, body)
    return text


def parse_page(body: bytes, content_type: str | None, url: str, max_bytes: int) -> lxml.html.HtmlElement:
    """Check, decode and parse one page, raising a RejectedPage with the reason."""
    if not body.strip():
        raise EmptyPage("empty response body")
    if len(body) > max_bytes:
        raise PageTooLarge(f"{len(body)} bytes is over the {max_bytes}-byte limit (EXTRACT_MAX_BYTES)")
    if not looks_like_html(body, content_type):
        declared = content_type or "no content type"
        raise NotHtml(f"not an HTML page ({declared})")
    try:
        tree = lxml.html.document_fromstring(decode_html(body, content_type), base_url=url)
    except (ParserError, ValueError) as exc:
        raise EmptyPage(f"unparseable HTML: {exc}") from exc
    if not tree.text_content().strip():
        raise EmptyPage("HTML without any text")
    return tree
