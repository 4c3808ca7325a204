"""`scrapy crawl news` against the fixture sites served over real HTTP on 127.0.0.1."""

from __future__ import annotations

import gzip

import pytest
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from crawler.middlewares import CompressedBodyMiddleware
from tests.conftest import FIXTURES, comparable, run_scrapy, stored_articles


@pytest.mark.slow
def test_http_crawl_matches_file_import(fixture_server, imported_fixtures: str, sqlite_url: str) -> None:
    result = run_scrapy(
        "crawl",
        "news",
        "-a",
        f"sources={FIXTURES / 'sources.toml'}",
        "-a",
        f"base_url={fixture_server.base_url}",
        "-s",
        f"NEWSDEDUP_DATABASE_URL={sqlite_url}",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "LOG_LEVEL=INFO",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'finish_reason': 'finished'" in result.stderr
    # Served gzipped with ETag/Last-Modified, and robots.txt was asked first.
    assert "/robots.txt" in fixture_server.requests
    over_http, from_files = stored_articles(sqlite_url), stored_articles(imported_fixtures)
    assert all(r["url"].startswith(fixture_server.base_url) for r in over_http)
    assert all(r["canonical_url"].startswith("http") for r in over_http)
    # Pages without a canonical link are known by their fetch URL, which differs by design.
    drop = ("id", "url", "canonical_url")
    assert comparable(over_http, drop=drop) == comparable(from_files, drop=drop)
    stored = [r for r in over_http if r["canonical_url"].startswith(fixture_server.base_url)]
    assert all(r["canonical_url"] == r["url"] for r in stored)


@pytest.mark.slow
def test_scrapy_crawl_of_file_urls_follows_feeds_and_sitemaps(sqlite_url: str, expected: dict) -> None:
    """As cron would run it, with a relative sources path: every entry point is usable."""
    result = run_scrapy(
        "crawl",
        "news",
        "-a",
        "sources=fixtures/sources.toml",
        "-s",
        f"NEWSDEDUP_DATABASE_URL={sqlite_url}",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # No Python warning (a deprecated setting, an API) on the dependencies pip installs today.
    assert "Warning:" not in result.stderr, [line for line in result.stderr.splitlines() if "Warning" in line]
    assert f"'newsdedup/feed_entries': {len(expected['articles'])}" in result.stderr
    assert "newsdedup/links_offsite" not in result.stderr
    assert len(stored_articles(sqlite_url)) == len(expected["articles"])


def test_gzipped_legacy_page_without_header_charset_decodes_by_its_meta() -> None:
    """CompressedBodyMiddleware + Scrapy's HttpCompressionMiddleware, as a crawl chains them:
    the decompressed page is HTML in the charset its <meta> names."""
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café “quoted”</p></body></html>'
    request = Request("http://127.0.0.1/a.html")
    served = HtmlResponse(
        request.url,
        body=gzip.compress(page.encode("cp1252")),
        headers={"Content-Type": "text/html", "Content-Encoding": "gzip"},
        request=request,
    )
    decompress = HttpCompressionMiddleware.from_crawler(get_crawler())
    response = decompress.process_response(request, CompressedBodyMiddleware().process_response(request, served))
    assert isinstance(response, HtmlResponse)
    assert response.encoding == "cp1252"
    assert "Café “quoted”" in response.text
