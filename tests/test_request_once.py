"""Each page is requested once per run, however it was linked (issue 22): a feed whose links
carry tracking parameters, a sitemap with the clean URLs and a section page linking with
fragments, crawled by one process and by a fleet of three sharing a Redis frontier; and
the frontier knows both forms afterwards."""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.request import RequestFingerprinter
from scrapy_redis.dupefilter import RFPDupeFilter
from sqlalchemy import text

from crawler.sources import Source
from crawler.spiders import LINKED_AS, article_item
from crawler.spiders.news import NewsSpider
from storage.db import make_engine
from storage.frontier import Frontier, KnownUrl, with_request_forms
from storage.urls import request_url, url_key
from tests.conftest import ROOT, require_slow_tier, run_scrapy
from tests.fixture_server import FixtureServer

TRACKED = "?utm_source=rss&utm_medium=feed"
STORY = "https://news.example/2026/story-83.html"


# --- in process: the rules -------------------------------------------------------------


def test_request_url_drops_trackers_and_fragment_and_nothing_else() -> None:
    assert request_url(STORY + TRACKED) == STORY
    assert request_url(STORY + "#comments") == STORY
    assert request_url(STORY + "?fbclid=IwAR0&utm_campaign=x#top") == STORY
    # Parameters that name a page, or another rendering, stay as written (order, encoding).
    for url in (
        "https://news.example/story.php?id=83",
        "https://news.example/?p=12",
        "https://news.example/a?z=1&id=83",
        "https://news.example/a?q=a%20b",
        STORY + "?amp=1",
        STORY + "?cpage=2",
    ):
        assert request_url(url) == url
        assert request_url(url + "&utm_source=rss#x") == url
    assert request_url("https://news.example/story.php?utm_source=rss&id=83") == "https://news.example/story.php?id=83"
    assert request_url("file:///srv/a.html#x") == "file:///srv/a.html#x"


def test_request_url_folds_exactly_what_url_key_folds() -> None:
    """One home for the rules: what a request drops, the article's identity ignores too."""
    for url in (
        STORY + TRACKED,
        STORY + "?mc_cid=1&mc_eid=2&gclid=3&ref=rss#c",
        "https://m.news.example/story.php?id=83&utm_medium=feed",
        "https://news.example/?p=12&utm_source=x",
    ):
        assert url_key(request_url(url)) == url_key(url)
    assert url_key(request_url("https://news.example/story.php?id=83")) != url_key(
        request_url("https://news.example/story.php?id=84")
    )


def _source() -> Source:
    return Source(name="news", home="https://news.example/", feeds=["https://news.example/feed"])


def test_the_spider_requests_one_url_for_both_forms_and_both_dupefilters_agree() -> None:
    spider, source = NewsSpider(), _source()
    tracked = spider.article_request(STORY + TRACKED, source)
    clean = spider.article_request(STORY, source)
    assert tracked is not None and clean is not None
    assert tracked.url == clean.url == STORY
    assert tracked.meta[LINKED_AS] == STORY + TRACKED and LINKED_AS not in clean.meta
    # Scrapy's RFPDupeFilter (one process) and scrapy-redis's (the fleet) fingerprint alike.
    scrapy_fp, redis_fp = RequestFingerprinter().fingerprint, RFPDupeFilter(None, "k").request_fingerprint
    assert scrapy_fp(tracked) == scrapy_fp(clean) and redis_fp(tracked) == redis_fp(clean)
    pages = [spider.article_request(f"https://news.example/story.php?id={n}&utm_source=rss", source) for n in (83, 84)]
    assert [page.url for page in pages] == [
        "https://news.example/story.php?id=83",
        "https://news.example/story.php?id=84",
    ]
    assert redis_fp(pages[0]) != redis_fp(pages[1])


def test_the_item_names_the_tracked_form_for_the_frontier() -> None:
    request = Request(STORY, meta={LINKED_AS: STORY + TRACKED, "redirect_urls": [STORY + "?old"]})
    item = article_item(HtmlResponse(STORY, body=b"<html></html>", request=request), source="news")
    assert item.url == STORY and item.redirected_from == [STORY + TRACKED, STORY + "?old"]


def _known(url: str, etag: str) -> KnownUrl:
    now = datetime.now(UTC)
    return KnownUrl(url, "article", now, now, None, etag, None)


def test_the_frontier_finds_a_page_under_either_form() -> None:
    # A row written under the tracked form only (an older run, a redirect to it).
    frontier = Frontier(
        timedelta(days=3), {"news": with_request_forms({STORY + TRACKED: _known(STORY + TRACKED, '"a"')})}
    )
    for url in (STORY, STORY + TRACKED, STORY + "?utm_source=twitter#x"):
        assert frontier.lookup("news", url) is not None
        assert frontier.conditional_headers("news", url) == {"If-None-Match": '"a"'}
    assert frontier.lookup("news", STORY + "?id=2") is None
    # Both rows: the fetched form's, which every fetch updates, answers for both.
    both = {STORY + TRACKED: _known(STORY + TRACKED, '"old"'), STORY: _known(STORY, '"new"')}
    frontier = Frontier(timedelta(days=3), {"news": with_request_forms(both)})
    assert frontier.conditional_headers("news", STORY + TRACKED) == {"If-None-Match": '"new"'}


# --- over HTTP: one process, then a fleet ----------------------------------------------

STORIES = 24
IN_FEED = range(1, 19)  # linked with trackers; 3-6 only there (1 and 2 also from the section)
IN_SITEMAP = range(7, 25)  # clean; 7-18 in both forms
SECTION_LINKS = ["story-1.html#comments", "story-2.html#top", "story-12.html", "story-24.html?utm_campaign=front#new"]
ONLY_TRACKED = range(3, 7)
PHRASES = (
    "the council voted on the harbour budget",
    "teachers at the river school went on strike",
    "the ferry stopped after the storm damaged the bridge",
    "farmers brought the market back to the station square",
    "nurses asked the hospital board for higher wages",
    "tenants said the housing plan would raise the rent",
    "the museum won a grant for the library hours",
    "road works closed the rail crossing for a week",
)


def _article(title: str, seed: int) -> str:
    rng = random.Random(seed)
    paragraphs = "".join(
        "<p>" + ", and ".join(rng.choice(PHRASES) for _ in range(8)).capitalize() + ".</p>" for _ in range(4)
    )
    return (
        f'<!doctype html><html><head><title>{title}</title><meta property="og:type" content="article"></head>'
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )


def build_site(root: Path, base_url: str) -> tuple[Path, set[str]]:
    """The site and its sources file; returns the article paths as the server logs them."""
    site = root / "news"
    site.mkdir(parents=True)
    for n in range(1, STORIES + 1):
        (site / f"story-{n}.html").write_text(_article(f"Story number {n} of the town", n), encoding="utf-8")
    # One file answers every ?id=: the parameter names the page, so each id is its own request.
    (site / "item.html").write_text(_article("An item page", 0), encoding="utf-8")
    feed_links = [f"story-{n}.html{TRACKED}" for n in IN_FEED] + ["item.html?id=83&utm_source=rss"]
    items = "".join(
        f"<item><title>{i}</title><link>{link.replace('&', '&amp;')}</link></item>" for i, link in enumerate(feed_links)
    )
    (site / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>{items}</channel></rss>', encoding="utf-8"
    )
    locs = [f"story-{n}.html" for n in IN_SITEMAP] + ["item.html?id=83", "item.html?id=84"]
    urls = "".join(f"<url><loc>{base_url}news/{loc.replace('&', '&amp;')}</loc></url>" for loc in locs)
    (site / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        encoding="utf-8",
    )
    links = "".join(f'<li><a href="{href}">{href}</a></li>' for href in SECTION_LINKS)
    (site / "index.html").write_text(f"<html><body><ul>{links}</ul></body></html>", encoding="utf-8")
    sources = root / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "town"\nhome = "https://town.example/"\nlocal = true\n'
        f'feeds = ["{base_url}news/feed.xml"]\nsitemaps = ["{base_url}news/sitemap.xml"]\n'
        f'sections = ["{base_url}news/index.html"]\n',
        encoding="utf-8",
    )
    pages = {f"/news/story-{n}.html" for n in range(1, STORIES + 1)} | {
        "/news/item.html?id=83",
        "/news/item.html?id=84",
    }
    return sources, pages


def page_requests(server: FixtureServer) -> Counter[str]:
    """Every request but robots.txt and the entry points."""
    entry = ("/robots.txt", "/news/feed.xml", "/news/sitemap.xml", "/news/index.html")
    return Counter(path for path in server.requests if path not in entry)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[FixtureServer, Path, set[str]]]:
    root = tmp_path / "www"
    root.mkdir()
    with FixtureServer(root) as server:
        sources, pages = build_site(root, server.base_url)
        yield server, sources, pages


def crawl_settings(db: str, *extra: str) -> list[str]:
    args = []
    for setting in (f"NEWSDEDUP_DATABASE_URL={db}", "AUTOTHROTTLE_ENABLED=False", "LOG_LEVEL=INFO", *extra):
        args += ["-s", setting]
    return args


def seen_urls(db: str) -> set[str]:
    engine = make_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT url FROM seen_urls WHERE outcome = 'article'")).scalars().all()
    engine.dispose()
    return set(rows)


@pytest.mark.slow
def test_one_process_requests_each_page_once_and_the_next_run_knows_both_forms(site, sqlite_url: str) -> None:
    server, sources, pages = site
    result = run_scrapy("crawl", "news", "-a", f"sources={sources}", *crawl_settings(sqlite_url))
    assert result.returncode == 0, result.stderr[-3000:]
    assert page_requests(server) == Counter(dict.fromkeys(pages, 1))
    base = server.base_url.rstrip("/")
    seen = seen_urls(sqlite_url)
    assert {base + page for page in pages} <= seen, "every page is known by the URL fetched"
    # A story linked only with trackers: its link is known too (when two forms were met,
    # the first request to reach the dupefilter decides which link is recorded: stories 1
    # and 2, also linked from the section page, may be known by either).
    assert {f"{base}/news/story-{n}.html{TRACKED}" for n in ONLY_TRACKED} <= seen

    # The next run meets both forms again: each page revalidated once (304), none refetched.
    server.requests.clear()
    server.responses.clear()
    result = run_scrapy("crawl", "news", "-a", f"sources={sources}", *crawl_settings(sqlite_url))
    assert result.returncode == 0, result.stderr[-3000:]
    assert page_requests(server) == Counter(dict.fromkeys(pages, 1))
    assert {status for path, status in server.responses if path in pages} == {304}


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.redis
def test_three_fleet_workers_request_each_page_once(site, pg_url: str, redis_url: str) -> None:
    server, sources, pages = site
    require_slow_tier("Scrapy")
    command = [sys.executable, "-m", "scrapy", "crawl", "news", "-a", f"sources={sources}"]
    command += crawl_settings(
        pg_url,
        f"NEWSDEDUP_FRONTIER={redis_url}",
        "FLEET_RUN=once",
        "FLEET_HOST_DELAY=0.02",
        "FLEET_IDLE_GRACE=3",
        "DOWNLOAD_DELAY=0",
        "CONCURRENT_REQUESTS=4",
        "EXTRACT_WORKERS=0",
    )
    # Logs go to files: a pipe nobody reads while the others run could fill and stall a worker.
    files = [tempfile.TemporaryFile("w+") for _ in range(3)]  # noqa: SIM115 - closed below
    workers = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log, text=True) for log in files]
    logs = []
    try:
        for worker, log in zip(workers, files, strict=True):
            worker.wait(timeout=240)
            log.seek(0)
            logs.append(log.read())
    finally:
        for worker, log in zip(workers, files, strict=True):
            if worker.poll() is None:
                worker.kill()  # a hung worker must not outlive the test
                worker.wait()
            log.close()
    assert all(worker.returncode == 0 for worker in workers), [log[-2000:] for log in logs]
    assert page_requests(server) == Counter(dict.fromkeys(pages, 1))
    assert sum("scheduler/dequeued/redis" in log for log in logs) >= 2, "the workers shared the queue"
