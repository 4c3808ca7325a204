"""Backfill (issue 23): `scrapy crawl news -a since=YYYY-MM-DD` reads a section paginated
over 20 pages and a sitemap index back to a date, and a second backfill fetches nothing
new; endless pagination, a sitemap index linking to itself, a feed that became an HTML
page and a source answering a login page each get a reason in `newsdedup health`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse

from crawler.backfill import Backfill, next_page_url, numbered, sitemap_dates, url_date
from tests.conftest import run_cli, run_scrapy
from tests.fixture_server import FixtureServer
from tests.news_sites import Post, Site, sitemap_index, urlset

# The newest story is yesterday's (a source with none for months would be `silent`).
DAY0 = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
SINCE = DAY0 - timedelta(days=36)  # page 8 of the section holds articles 35-39


def test_dates_and_pages_backfill_reads() -> None:
    assert url_date("https://a.example/2024/05/03/story/") == datetime(2024, 5, 3, tzinfo=UTC)
    assert url_date("https://a.example/2024/02/story") == datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC)
    assert url_date("https://a.example/story-20240503") is None
    assert numbered("https://a.example/news/page/3/", 4) == ["https://a.example/news/page/4/"]
    assert numbered("https://a.example/news?page=3", 4) == ["https://a.example/news?page=4"]
    assert "https://a.example/news/page/2/" in numbered("https://a.example/news/", 2)
    page = HtmlResponse(
        "https://a.example/news/",
        body=b'<a href="/news/page/2/">Older</a> <a href="/2024/05/03/a/">A</a>',
        encoding="utf-8",
    )
    assert next_page_url(page, 1) == "https://a.example/news/page/2/"
    rel = HtmlResponse("https://a.example/n", body=b'<link rel="next" href="/n?p=2">', encoding="utf-8")
    assert next_page_url(rel, 1) == "https://a.example/n?p=2"
    day = datetime(2026, 2, 28, 10, tzinfo=UTC)
    news = urlset([("https://a.example/x", day)], news=True).encode()
    assert sitemap_dates(news) == {"https://a.example/x": day}
    assert sitemap_dates(b"<html>no sitemap") == {}


def test_a_walk_stops_at_since_at_the_page_limit_and_in_a_trap() -> None:
    backfill = Backfill(datetime(2024, 5, 1, tzinfo=UTC), max_pages=3)
    newer = [f"https://a.example/2024/05/{d:02d}/s/" for d in (9, 8)]
    older = [f"https://a.example/2024/04/{d:02d}/s/" for d in (30, 29, 28)]
    step = backfill.section_page("s", "https://a.example/p1", 1, newer + older, "https://a.example/p2")
    assert (step.links, step.next_url) == (newer, None), "mostly older than since: the walk ends"
    step = backfill.section_page("t", "https://a.example/t1", 1, newer, "https://a.example/t2")
    assert step.next_url == "https://a.example/t2"
    step = backfill.section_page("t", "https://a.example/t2", 2, newer, "https://a.example/t3")
    assert (step.next_url, step.outcome) == (None, "trap"), "a page with nothing new, yet a next page"
    many = [f"https://a.example/u{n}" for n in range(3)]
    step = backfill.section_page("u", "https://a.example/u?page=3", 3, many, "https://a.example/u?page=4")
    assert (step.next_url, step.outcome) == (None, "max_pages")


def write_sites(root: Path) -> dict[str, list[str]]:
    """The archive's section (20 pages of 5, newest first, a story a day) and its sitemap
    index (an old month, a month across `since`, a recent news sitemap), and the bad ones."""
    archive = root / "archive"
    site = Site(root, "archive")
    posts = [Post(f"archive-{n}", DAY0 - timedelta(days=n), f"Archive story {n}") for n in range(100)]
    for post in posts:
        site.write_post(post)
    for page in range(1, 21):
        links = "".join(f'<li><a href="{p.path}">{p.title}</a></li>' for p in posts[(page - 1) * 5 : page * 5])
        more = f'<link rel="next" href="news-{page + 1}.html">' if page < 20 else ""
        html = f"<html><head><title>News, page {page}</title>{more}</head><body><ul>{links}</ul></body></html>"
        (archive / f"news-{page}.html").write_text(html, encoding="utf-8")
    mapped = [Post(f"mapped-{n}", DAY0 - timedelta(days=3 * n), f"Mapped story {n}") for n in range(30)]
    for post in mapped:
        site.write_post(post)
    months = {"old": mapped[20:], "across": mapped[8:20], "recent": mapped[:8]}
    for name, group in months.items():
        entries = [(p.path, p.published) for p in group]
        (archive / f"sitemap-{name}.xml").write_text(urlset(entries, news=name == "recent"), encoding="utf-8")
    children = [(f"sitemap-{name}.xml", group[0].published) for name, group in months.items()]
    (archive / "sitemap.xml").write_text(sitemap_index(children), encoding="utf-8")

    # Bad input: endless pagination, a sitemap index linking to itself, a feed turned into
    # a web page, a login page for every URL.
    (root / "calendar").mkdir()
    for page in range(1, 40):
        html = (
            f'<html><head><link rel="next" href="month-{page + 1}.html"></head><body>'
            f'<a href="{DAY0:%Y/%m/%d}/fair.html">Fair</a> <a href="{DAY0:%Y/%m/%d}/market.html">Market</a>'
            "</body></html>"
        )
        (root / "calendar" / f"month-{page}.html").write_text(html, encoding="utf-8")
    (root / "loopy").mkdir()
    (root / "loopy" / "sitemap.xml").write_text(sitemap_index([("sitemap.xml", None)]), encoding="utf-8")
    (root / "htmlfeed").mkdir()
    (root / "htmlfeed" / "feed.xml").write_text(
        "<!doctype html><html><head><title>Front page</title></head><body>Welcome</body></html>", encoding="utf-8"
    )
    (root / "login").mkdir()
    (root / "login" / "feed.xml").write_text(
        '<!doctype html><html><head><title>Sign in</title></head><body><form><input type="password"></form></body>'
        "</html>",
        encoding="utf-8",
    )
    (root / "sources.toml").write_text(
        "".join(
            f'[[source]]\nname = "{name}"\nhome = "https://{name}.example/"\n{entry}\n'
            "article_pattern = '/\\d{4}/\\d{2}/\\d{2}/'\nlocal = true\n"
            for name, entry in (
                ("archive", 'sections = ["archive/news-1.html"]\nsitemaps = ["archive/sitemap.xml"]'),
                ("calendar", 'sections = ["calendar/month-1.html"]'),
                ("loopy", 'sitemaps = ["loopy/sitemap.xml"]'),
                ("htmlfeed", 'feeds = ["htmlfeed/feed.xml"]'),
                ("login", 'feeds = ["login/feed.xml"]'),
            )
        ),
        encoding="utf-8",
    )
    return {
        "kept": [f"/archive/{p.path}" for p in posts[:37] + mapped[:13]],
        "older": [f"/archive/{p.path}" for p in posts[37:] + mapped[13:]],
        "pages": [f"/archive/news-{n}.html" for n in range(1, 21)],
    }


@pytest.mark.slow
def test_backfill_reads_back_to_since_once(tmp_path: Path, db_url: str) -> None:
    root = tmp_path / "www"
    paths = write_sites(root)
    with FixtureServer(root) as server:

        def backfill(*args: str) -> list[str]:
            server.requests.clear()
            result = run_scrapy(
                "crawl", "news", "-a", f"sources={root / 'sources.toml'}", "-a", f"base_url={server.base_url}",
                "-a", f"since={SINCE:%Y-%m-%d}", *args, "-s", f"NEWSDEDUP_DATABASE_URL={db_url}",
                "-s", "AUTOTHROTTLE_ENABLED=False",
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-3000:]
            return list(server.requests)

        first = backfill()
        assert [p for p in paths["pages"] if p in first] == paths["pages"][:8], "since is reached on page 8"
        assert set(paths["kept"]) <= set(first)
        assert not set(paths["older"]) & set(first), "nothing older than since"
        assert "/archive/sitemap-old.xml" not in first, "a child sitemap last changed before since"
        assert first.count("/loopy/sitemap.xml") == 1
        assert len([p for p in first if p.startswith("/calendar/month-")]) == 2, "the endless pagination stopped"

        again = backfill("-a", "source=archive")
        assert not set(again) & set(paths["kept"]), "a second backfill fetches no stored article"

    result = run_cli("health", "--db", db_url, "--json")
    assert result.returncode == 1, result.stderr
    rows = {row["source"]: row for row in map(json.loads, result.stdout.splitlines())}
    assert rows["calendar"]["status"] == "failing_feed" and "endless" in rows["calendar"]["reason"]
    assert rows["loopy"]["status"] == "failing_feed" and "links to" in rows["loopy"]["reason"]
    assert rows["htmlfeed"]["status"] == "failing_feed"
    assert "an HTML page ('Front page'), not a feed" in rows["htmlfeed"]["reason"]
    assert rows["login"]["status"] == "blocked" and "a login page ('Sign in')" in rows["login"]["reason"]
    assert rows["archive"]["status"] == "ok", rows["archive"]
