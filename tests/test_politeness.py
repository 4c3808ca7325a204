"""Retries that wait as servers ask, timeouts, SSRF refusals and hostile XML, each
against a real HTTP server on 127.0.0.1 with `scrapy crawl news`."""

from __future__ import annotations

import gzip
import itertools
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_scrapy, stored_articles
from tests.fixture_server import FixtureServer

# Every test here runs the CLI or Scrapy in a subprocess, or a server: the slow tier.
pytestmark = pytest.mark.slow

ARTICLE = "sites/antiwar/2014/01/01/al-qaeda-seizes-parts-of-two-major-iraqi-cities/index.html"


@pytest.fixture
def server(tmp_path: Path):
    root = tmp_path / "www"
    shutil.copytree(FIXTURES / "sites", root / "sites")
    with FixtureServer(root) as running:
        yield running


def write_site(tmp_path: Path, server: FixtureServer, links: list[str], *, local: bool = True) -> Path:
    """A feed on the server listing ``links``, and a sources file for it."""
    (server.root / "bench").mkdir(exist_ok=True)
    items = "".join(f"<item><title>{i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    (server.root / "bench" / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>', encoding="utf-8"
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "flaky"\nhome = "https://flaky.example/"\nallowed_domains = ["127.0.0.1"]\n'
        f'feeds = ["{server.base_url}bench/feed.xml"]\nlocal = {str(local).lower()}\n',
        encoding="utf-8",
    )
    return sources


def crawl(sources: Path, db: str, *settings: str, polite: bool = False):
    args = ["crawl", "news", "-a", f"sources={sources}", "-s", f"NEWSDEDUP_DATABASE_URL={db}", "-s", "LOG_LEVEL=INFO"]
    if not polite:
        args += ["-s", "AUTOTHROTTLE_ENABLED=False"]
    for setting in settings:
        args += ["-s", setting]
    return run_scrapy(*args, polite=polite)


def test_by_default_one_request_at_a_time_per_host_and_the_robots_crawl_delay(
    server, tmp_path: Path, sqlite_url: str
) -> None:
    """A local site that says nothing about delay is fetched at most once a second; one
    whose robots.txt asks for a longer Crawl-delay gets it."""
    pages = ["/" + str(page.relative_to(server.root)) for page in sorted(server.root.glob("sites/*/20*/**/index.html"))]
    sources = write_site(tmp_path, server, pages[:3])
    started = len(server.request_times)
    result = crawl(sources, sqlite_url, polite=True)
    assert result.returncode == 0, result.stderr[-3000:]
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(server.request_times[started:])]
    assert len(gaps) >= 4 and min(gaps) >= 0.95, gaps
    (server.root / "robots.txt").write_text("User-agent: *\nCrawl-delay: 1.6\n")
    server.requests.clear()
    started = len(server.request_times)
    assert crawl(sources, sqlite_url, "INCREMENTAL_ENABLED=False", polite=True).returncode == 0
    gaps = [b - a for (_, a), (_, b) in itertools.pairwise(server.request_times[started:])][1:]  # after robots.txt
    assert len(gaps) >= 3 and min(gaps) >= 1.55, gaps


def test_retry_after_is_honoured_and_errors_do_not_stop_the_crawl(server, tmp_path: Path, sqlite_url: str) -> None:
    links = [f"/flaky/2/{ARTICLE}", "/status/500", f"/slow/3/{ARTICLE.replace('index', 'missing')}"]
    sources = write_site(tmp_path, server, links)
    result = crawl(sources, sqlite_url, "RETRY_TIMES=2", "DOWNLOAD_TIMEOUT=1", "RETRY_BACKOFF_BASE=0.1")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "'finish_reason': 'finished'" in result.stderr
    # 429, 429, 200: the second and third request each waited the server's Retry-After: 1.
    times = [t for path, t in server.request_times if path == f"/flaky/2/{ARTICLE}"]
    assert len(times) == 3 and all(b - a >= 0.95 for a, b in itertools.pairwise(times))
    assert [a["title"] for a in stored_articles(sqlite_url)] == ["Al-Qaeda Seizes Parts of Two Major Iraqi Cities"]
    # A server error is retried RETRY_TIMES times with backoff, then reported on one line.
    assert server.requests.count("/status/500") == 3
    assert "/status/500: fetch failed:" in result.stderr
    assert "fetch failed: " in result.stderr and "slow/3" in result.stderr


def test_live_source_may_not_reach_loopback(server, tmp_path: Path, sqlite_url: str) -> None:
    sources = write_site(tmp_path, server, [ARTICLE], local=False)
    result = crawl(sources, sqlite_url)
    assert result.returncode == 0
    assert "resolves to a private or loopback address (127.0.0.1)" in result.stderr
    assert server.requests == [], "not even robots.txt was asked"
    assert stored_articles(sqlite_url) == []


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><link>a.html</link></item></channel></rss>
"""


def test_hostile_xml_is_one_line_and_the_run_goes_on(server, tmp_path: Path, sqlite_url: str) -> None:
    (server.root / "evil").mkdir()
    (server.root / "evil" / "feed.xml").write_text(BILLION_LAUGHS, encoding="utf-8")
    (server.root / "evil" / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY secret SYSTEM "{server.base_url}secret">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&secret;</loc></url></urlset>',
        encoding="utf-8",
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "evil"\nhome = "https://evil.example/"\nallowed_domains = ["127.0.0.1"]\nlocal = true\n'
        f'feeds = ["{server.base_url}evil/feed.xml"]\nsitemaps = ["{server.base_url}evil/sitemap.xml"]\n',
        encoding="utf-8",
    )
    result = crawl(sources, sqlite_url)
    assert result.returncode == 0
    assert "'finish_reason': 'finished'" in result.stderr
    assert "/secret" not in server.requests, "external entities are never fetched"
    # The entity bomb is refused by the XML parser; the feed is read leniently, unexpanded.
    assert "evil/feed.xml: malformed feed, read leniently" in result.stderr
    assert "lollollol" not in result.stderr


def test_paged_feed_is_followed(server, tmp_path: Path, sqlite_url: str) -> None:
    sources = write_site(tmp_path, server, [f"/{ARTICLE}"])
    feed = server.root / "bench" / "feed.xml"
    next_link = '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="next" href="feed-2.xml"/>'
    feed.write_text(feed.read_text(encoding="utf-8").replace("<title>t</title>", f"<title>t</title>{next_link}"))
    older = "/sites/outsidethebeltway/2005/06/iraqi-insurgents-turn-guns-on-al-qaeda/index.html"
    (server.root / "bench" / "feed-2.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><link>{older}</link></item>'
        "</channel></rss>",
        encoding="utf-8",
    )
    result = crawl(sources, sqlite_url)
    assert result.returncode == 0
    assert "/bench/feed-2.xml" in server.requests
    assert len(stored_articles(sqlite_url)) == 2


def test_robots_sitemaps_gzip_news_sitemaps_and_redirects(server, tmp_path: Path, sqlite_url: str) -> None:
    """Sitemaps announced in robots.txt, gzipped, in Google News format; a redirect within
    the source is followed, one to another host on a loopback address is refused."""
    otb = "sites/outsidethebeltway/2005/06/iraqi-insurgents-turn-guns-on-al-qaeda/index.html"
    cj = "sites/captainsjournal/2010/09/17/aqi-courting-shiite-gangs/index.html"
    news_sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{server.base_url}moved/{otb}</loc><news:news><news:title>t</news:title></news:news></url>"
        f"<url><loc>{server.base_url}offsite/{cj}</loc></url>"
        f"<url><loc>{server.base_url}private/{otb}</loc></url></urlset>"
    )
    (server.root / "news-sitemap.xml.gz").write_bytes(gzip.compress(news_sitemap.encode()))
    (server.root / "robots.txt").write_text(
        f"User-agent: *\nDisallow: /private/\nSitemap: {server.base_url}news-sitemap.xml.gz\n"
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "mirror"\nhome = "https://mirror.example/"\nallowed_domains = ["127.0.0.1"]\n'
        f'sitemaps = ["{server.base_url}robots.txt"]\nlocal = true\n',
        encoding="utf-8",
    )
    result = crawl(sources, sqlite_url)
    assert result.returncode == 0
    assert "/news-sitemap.xml.gz" in server.requests
    assert not any(path.startswith("/private/") for path in server.requests), "robots.txt is obeyed"
    stored = stored_articles(sqlite_url)
    assert [a["title"] for a in stored] == ["Iraqi Insurgents Turn Guns on Al Qaeda"]
    assert stored[0]["url"] == f"{server.base_url}{otb}", "the redirect's target is the fetched URL"
    # The redirect to another host name that resolves to loopback is refused, on one line.
    refusals = [line for line in result.stderr.splitlines() if "localhost resolves to a private or loopback" in line]
    assert len(refusals) == 1 and "fetch failed" in refusals[0]


def test_decompression_bomb_is_cut_off(server, tmp_path: Path, sqlite_url: str) -> None:
    """A page that inflates past DOWNLOAD_MAXSIZE is dropped with one line; the rest is stored."""
    (server.root / "bomb.html").write_bytes(b"<html><body>" + b" " * 8_000_000 + b"</body></html>")
    sources = write_site(tmp_path, server, ["/bomb.html", f"/{ARTICLE}"])
    result = crawl(sources, sqlite_url, "DOWNLOAD_MAXSIZE=1000000")
    assert result.returncode == 0
    assert "'finish_reason': 'finished'" in result.stderr
    assert "bomb.html" in result.stderr and "1000000" in result.stderr
    assert [a["title"] for a in stored_articles(sqlite_url)] == ["Al-Qaeda Seizes Parts of Two Major Iraqi Cities"]
