"""Web archives in and out: WARC import, WARC_DIR while crawling, reprocess, export warc."""

from __future__ import annotations

import gzip
import random
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from pipelines.warc_read import ArchivedResponse, Broken, Skipped, WarcReader, read_response_at
from pipelines.warc_write import Exchange, RotatingWarcWriter, warcinfo
from storage.db import session_for_url
from storage.models import Article
from tests.conftest import FIXTURES, comparable, run_cli, run_scrapy, stored_articles
from tests.test_incremental import crawl_args
from tests.warcs import BASE_URL, write_pages_warc, write_sites_warc

# Ten pages: extracting inline beats starting worker processes (~7 s on 2 busy cores).
INLINE = ("--workers", "0")
# Pages without a canonical link are known by their fetch URL, which differs by design.
URLS = ("id", "url", "canonical_url")


def story_groups(url: str) -> set[frozenset[str]]:
    """Each story as the set of its members' titles."""
    with session_for_url(url) as session:
        rows = session.execute(select(Article.title, Article.story_id)).all()
    groups: dict[int | None, set[str]] = {}
    for title, story in rows:
        groups.setdefault(story, set()).add(title or "")
    return {frozenset(g) for g in groups.values()}


def read_all(path: Path) -> tuple[list[ArchivedResponse], list[Skipped], list[Broken]]:
    reads = list(WarcReader([path]))
    return (
        [r for r in reads if isinstance(r, ArchivedResponse)],
        [r for r in reads if isinstance(r, Skipped)],
        [r for r in reads if isinstance(r, Broken)],
    )


@pytest.fixture(scope="module")
def sites_warc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("warc") / "sites.warc.gz"
    return path, write_sites_warc(path, revisit_of="372114.html")


def offsets(path: Path) -> list[int]:
    with path.open("rb") as fh:
        records = ArchiveIterator(fh)
        return [records.offset for _ in records]


# --- the reader, in process -------------------------------------------------------------


def test_reader_counts_what_it_skips_and_resolves_revisits(sites_warc) -> None:
    path, written = sites_warc
    responses, skipped, broken = read_all(path)
    assert broken == []
    kinds = [s.reason for s in skipped]
    assert kinds.count("request") == written["request"]
    assert kinds.count("metadata") == kinds.count("warcinfo") == 1
    # Feeds and sitemaps are responses too, but no HTML.
    assert kinds.count("not_html") == sum(1 for p in (FIXTURES / "sites").rglob("*.xml")) + 1
    pages = sum(1 for _ in (FIXTURES / "sites").rglob("*.html"))
    assert len(responses) == pages + written["revisit"]
    revisit = responses[-1]
    original = next(r for r in responses if r.url == revisit.url)
    assert revisit.body == original.body and revisit.location == original.location
    assert read_response_at(original.location).body == original.body


def test_plain_warc_1_1_and_whole_file_gzip_read_the_same(sites_warc, tmp_path: Path) -> None:
    plain = tmp_path / "plain.warc"
    write_sites_warc(plain, gzip=False, version="1.1")
    assert plain.read_bytes().startswith(b"WARC/1.1\r\n")
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    bodies = [r.body for r in read_all(sites_warc[0])[0]][:-1]  # less the revisit
    from_plain = read_all(plain)[0]
    assert [r.body for r in from_plain] == bodies
    assert from_plain[0].fetched_at.tzinfo is not None  # 1.1 dates carry microseconds
    from_whole, _, broken = read_all(whole)
    assert broken == [] and [r.body for r in from_whole] == bodies
    # One gzip stream cannot be read at an offset: such records point nowhere.
    assert all(r.location is None for r in from_whole)


def test_broken_records_are_one_line_each_and_reading_goes_on(sites_warc, tmp_path: Path) -> None:
    path, _ = sites_warc
    data, starts = path.read_bytes(), offsets(path)
    good = len(read_all(path)[0])
    # A gzip member cut in half (the first page's response) in the middle of the file.
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: starts[1]] + data[starts[1] : (starts[1] + starts[2]) // 2] + data[starts[2] :])
    responses, _, broken = read_all(cut)
    assert len(responses) == good - 1
    assert [str(b) for b in broken] == [
        f"{cut}: record at offset {starts[1]}: not a WARC record here"
        " (a truncated gzip member, or a wrong Content-Length before it)"
    ]
    # The file ends inside a record.
    short = tmp_path / "short.warc.gz"
    short.write_bytes(data[:-100])
    responses, _, broken = read_all(short)
    assert len(broken) == 1 and "truncated" in str(broken[0]) and str(broken[0]).startswith(f"{short}: record at")
    # A record whose Content-Length says less than it holds (an uncompressed WARC).
    plain = tmp_path / "plain.warc"
    write_sites_warc(plain, gzip=False)
    text = plain.read_bytes()
    at = text.index(b"Content-Length: ", text.index(b"WARC-Type: response"))
    end = text.index(b"\r\n", at)
    lying = tmp_path / "lying.warc"
    lying.write_bytes(text[:at] + b"Content-Length: " + str(int(text[at + 16 : end]) - 300).encode() + text[end:])
    responses, _, broken = read_all(lying)
    assert len(broken) == 1 and "record at offset" in str(broken[0])
    assert len(responses) == good - 1  # the revisit is not in this file; every page read


def test_not_a_warc_and_no_html(tmp_path: Path) -> None:
    fake = tmp_path / "fake.warc.gz"
    fake.write_bytes(gzip.compress(b"<html>not an archive</html>\n" * 50))
    assert [str(b) for b in read_all(fake)[2]] == [
        f"{fake}: record at offset 0: not a WARC or ARC file: a gzipped HTML page"
    ]
    # Only requests, metadata and non-HTML: nothing to import, each counted.
    writer = RotatingWarcWriter(tmp_path / "out", 10**9, warcinfo("test"))
    writer.write(_exchange("http://example.test/feed.xml", b"<rss/>", "application/rss+xml"))
    writer.close()
    responses, skipped, broken = read_all(writer.files[0])
    assert (responses, broken) == ([], [])
    assert sorted(s.reason for s in skipped) == ["not_html", "request", "warcinfo"]


def test_wrong_chunked_transfer_encoding_is_read_anyway(tmp_path: Path) -> None:
    """A response saved with its Transfer-Encoding: chunked header but bytes that do not
    fit it; the first record of the file, with no warcinfo before it."""
    html = b"<html><head><title>T</title></head><body><p>" + b"Some words. " * 40 + b"</p></body></html>"
    chunked = b"%x\r\n" % len(html) + html + b"\r\n0\r\n\r\n"
    bodies = {
        "trailing": chunked + b"stray bytes after the last chunk",
        "not-chunked": html,
        "short-size": b"10\r\n" + html + b"\r\n0\r\n\r\n",
        "no-last-chunk": chunked[: -len(b"0\r\n\r\n")],
    }
    path = tmp_path / "chunked.warc.gz"
    write_pages_warc(
        path, [(f"http://e.test/{k}", v) for k, v in bodies.items()], headers=(("Transfer-Encoding", "chunked"),)
    )
    responses, _, broken = read_all(path)
    assert broken == []
    assert [r.url.rpartition("/")[2] for r in responses] == list(bodies)
    # warcio de-chunks what it can and keeps the rest as it is: the page is in every body.
    assert responses[0].body == responses[1].body == html
    assert all(html[:-20] in r.body for r in responses)


# --- the writer (WARC_DIR) ----------------------------------------------------------------


def _exchange(url: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> Exchange:
    from datetime import UTC, datetime

    return Exchange(
        url=url,
        method="GET",
        request_headers=[("User-Agent", "newsdedup-test"), ("Accept-Encoding", "gzip")],
        status=200,
        reason="OK",
        response_headers=[("Content-Type", content_type), ("Content-Encoding", "gzip")],
        body=gzip.compress(body),
        fetched_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
    )


def test_writer_rotates_by_size_and_every_file_starts_with_warcinfo(tmp_path: Path) -> None:
    writer = RotatingWarcWriter(tmp_path, max_bytes=2000, info=warcinfo("test run", isPartOf="run-1"))
    # Random words: they do not compress away.
    words = {n: random.Random(n).randbytes(1500).hex() for n in range(5)}
    pages = {f"http://example.test/{n}": f"<html><body><p>page {words[n]}</p></body></html>" for n in range(5)}
    locations = {url: writer.write(_exchange(url, html.encode())) for url, html in pages.items()}
    writer.close()
    assert len(writer.files) == 5  # each exchange took its file over 2,000 bytes
    for path in writer.files:
        with path.open("rb") as fh:
            first = next(iter(ArchiveIterator(fh)))
            assert first.rec_type == "warcinfo"
            assert b"software: newsdedup/" in first.content_stream().read()
    for url, location in locations.items():
        response = read_response_at(location)
        # Stored as sent (gzip), read back decoded, with its date and headers.
        assert response.url == url and response.body == pages[url].encode()
        assert response.fetched_at.isoformat() == "2024-05-01T12:00:00+00:00"
        assert response.header("content-encoding") == "gzip"


# --- end to end (subprocesses: ~35 s in all) ----------------------------------------------


@pytest.mark.slow
def test_warc_import_gives_the_database_a_folder_import_gives(
    sites_warc, tmp_path: Path, imported_fixtures: str, pg_url: str
) -> None:
    """warcio-written WARC of the fixture sites, beside a broken and a fake one, on PostgreSQL."""
    path, _ = sites_warc
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "a-sites.warc.gz").write_bytes(path.read_bytes())
    data, starts = path.read_bytes(), offsets(path)
    # A damaged copy: its readable records are the same captures again (no duplicates).
    (folder / "b-damaged.warc.gz").write_bytes(data[: starts[1]] + data[starts[1] + 40 :])
    (folder / "c-fake.warc.gz").write_bytes(b"not a warc at all\n")
    result = run_cli(
        "import", str(folder), "--sources", "fixtures/sources.toml", "--base-url", BASE_URL, "--db", pg_url, *INLINE
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert errors == [
        f"ERROR {folder / 'b-damaged.warc.gz'}: record at offset {starts[1]}: not a WARC record here"
        " (a truncated gzip member, or a wrong Content-Length before it)",
        f"ERROR {folder / 'c-fake.warc.gz'}: record at offset 0:"
        " not a WARC or ARC file: plain text ('not a warc at all')",
    ]
    assert "archive records skipped: request" in result.stderr
    assert comparable(stored_articles(pg_url), drop=URLS) == comparable(stored_articles(imported_fixtures), drop=URLS)
    assert story_groups(pg_url) == story_groups(imported_fixtures)


@pytest.mark.slow
def test_crawl_archive_import_reprocess_export_round_trip(
    fixture_server, imported_fixtures: str, tmp_path: Path
) -> None:
    archive, crawled, imported = tmp_path / "warcs", f"sqlite:///{tmp_path / 'crawl.db'}", tmp_path / "import.db"
    crawl = run_scrapy(
        *crawl_args(fixture_server, FIXTURES, crawled, "-s", f"WARC_DIR={archive}", "-s", "EXTRACT_WORKERS=0")
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    rows = stored_articles(crawled)
    with session_for_url(crawled) as session:
        assert all(a.warc_file and a.warc_offset is not None for a in session.scalars(select(Article)))
    # The database is lost; the archive is enough to rebuild it, without a fetch.
    served = len(fixture_server.requests)
    url = f"sqlite:///{imported}"
    result = run_cli(
        "import", str(archive), "--sources", str(FIXTURES / "sources.toml"), "--base-url", fixture_server.base_url,
        "--db", url, *INLINE,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(fixture_server.requests) == served
    assert comparable(stored_articles(url)) == comparable(rows)
    assert comparable(stored_articles(url), drop=URLS) == comparable(stored_articles(imported_fixtures), drop=URLS)
    assert story_groups(url) == story_groups(crawled)

    # One source's override changes: only its articles change on reprocess.
    sources = tmp_path / "sources.toml"
    text = (FIXTURES / "sources.toml").read_text(encoding="utf-8")
    # (The generic reader finds this theme's headline itself now: point the rule elsewhere.)
    sources.write_text(
        text.replace("title_xpath = \"//h2[@class='posttitle']\"", 'title_xpath = "//h1"'), encoding="utf-8"
    )
    before = {r["canonical_url"]: r for r in stored_articles(url)}
    result = run_cli("reprocess", "--sources", str(sources), "--db", url, *INLINE)
    assert result.returncode == 0, result.stderr
    after = {r["canonical_url"]: r for r in stored_articles(url)}
    changed = {u for u in after if after[u] != before[u]}
    assert changed and {after[u]["source"] for u in changed} == {"captainsjournal"}
    assert all(after[u]["title"] != before[u]["title"] for u in changed)
    assert [line.split()[0:2] for line in result.stdout.splitlines()] == [["updated:", "title"]] * len(changed)
    assert len(fixture_server.requests) == served

    # Export the archived responses of one source; warcio reads them back.
    out = tmp_path / "antiwar.warc.gz"
    result = run_cli("export", "warc", "--source", "antiwar", "--db", url, "-o", str(out))
    assert result.returncode == 0, result.stderr
    exported, _, broken = read_all(out)
    assert broken == []
    assert sorted(r.url for r in exported) == sorted(r["url"] for r in after.values() if r["source"] == "antiwar")


def test_upsert_names_what_changed(tmp_path: Path) -> None:
    from storage.db import make_engine, migrate, session_factory
    from storage.queries import ArticleChange, upsert_article
    from storage.records import ArticleFields

    engine = make_engine(f"sqlite:///{tmp_path / 'n.db'}")
    migrate(engine)
    with session_factory(engine)() as session:
        fields = ArticleFields(url="https://e.test/a", canonical_url="https://e.test/a", text="One.", title="A")
        upsert_article(session, "e", fields)
        changed: list[str] = []
        fields.title, fields.text = "B", "Two."
        assert upsert_article(session, "e", fields, changed=changed)[1] is ArticleChange.UPDATED
        assert {"title", "text", "content_hash"} <= set(changed) and "url" not in changed
    engine.dispose()


def test_charset_comes_from_the_archived_headers(tmp_path: Path) -> None:
    """A legacy page that names its charset only in the HTTP header it was served with."""
    from crawler.spiders import archived_item
    from pipelines.analysis import AnalyzeConfig, analyze_page
    from pipelines.page import FetchedPage

    sentence = "Le café du coin sert un thé très naïf à côté de l’église — voilà. "
    html = f"<html><body><article><h1>Été</h1><p>{sentence * 8}</p></article></body></html>"
    writer = RotatingWarcWriter(tmp_path, 10**9, warcinfo("test"))
    exchange = _exchange("http://example.test/cafe", html.encode("cp1252"), "text/html; charset=windows-1252")
    writer.write(exchange)
    writer.close()
    (archived,) = read_all(writer.files[0])[0]
    item = archived_item(archived)
    assert (item.url, item.fetched_at, item.warc) == (exchange.url, exchange.fetched_at, archived.location)
    page = FetchedPage(item.url, item.body, item.content_type, item.fetched_at)
    assert sentence.strip() in analyze_page(page, item.rules, AnalyzeConfig()).extraction.text
