"""Bad config and bad pages: one clear line each, nothing stored for them, the run goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from pipelines.html import decode_html
from storage.db import make_engine, migrate
from tests.conftest import FIXTURES, run_cli, run_scrapy, stored_articles

GOOD_SOURCE = """
[[source]]
name = "{name}"
home = "https://example.org/"
{extra}
"""

BROKEN_CONFIGS = {
    "missing home": ('[[source]]\nname = "blog"\nfeeds = ["feed.xml"]\n', ["source 'blog'", "field 'home'"]),
    "bad regex": (
        GOOD_SOURCE.format(name="blog", extra='feeds = ["f.xml"]\narticle_pattern = "(unclosed"'),
        ["source 'blog'", "field 'article_pattern'", "invalid regular expression"],
    ),
    "bad timezone": (
        GOOD_SOURCE.format(name="blog", extra='feeds = ["f.xml"]\ntimezone = "Mars/Olympus"'),
        ["source 'blog'", "field 'timezone'", "unknown timezone"],
    ),
    "typo in a field": (GOOD_SOURCE.format(name="blog", extra='feed = ["f.xml"]'), ["source 'blog'", "field 'feed'"]),
    "no entry points": (GOOD_SOURCE.format(name="blog", extra=""), ["source 'blog'", "feeds, sitemaps or sections"]),
    "bad xpath": (
        GOOD_SOURCE.format(name="blog", extra='feeds = ["f.xml"]\n[source.extract]\ndate_xpath = "//div[@"'),
        ["source 'blog'", "field 'extract.date_xpath'", "invalid XPath"],
    ),
    "not toml": ("[[source]\nname = ", ["not valid TOML"]),
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(BROKEN_CONFIGS))
def test_broken_sources_file_gives_one_line(tmp_path: Path, case: str) -> None:
    content, fragments = BROKEN_CONFIGS[case]
    sources = tmp_path / "sources.toml"
    sources.write_text(content, encoding="utf-8")
    result = run_cli("import", str(sources), "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and str(sources) in lines[0]
    for fragment in fragments:
        assert fragment in lines[0]
    assert not (tmp_path / "x.db").exists(), "nothing is written for a broken config"


@pytest.mark.slow
def test_scrapy_crawl_with_broken_sources_exits_nonzero(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(BROKEN_CONFIGS["missing home"][0], encoding="utf-8")
    result = run_scrapy(
        "crawl", "news", "-a", f"sources={sources}", "-s", f"NEWSDEDUP_DATABASE_URL=sqlite:///{tmp_path / 'x.db'}"
    )
    assert result.returncode == 2
    # Scrapy's start-up banner, then our one line; no traceback, nothing crawled.
    assert result.stderr.strip().splitlines()[-1] == f"error: {sources}: source 'blog': field 'home': Field required"
    assert "Traceback" not in result.stderr and "Spider opened" not in result.stderr


@pytest.mark.slow
def test_unknown_source_name(tmp_path: Path) -> None:
    result = run_cli("import", "fixtures/", "--source", "nosuch", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert "no source named 'nosuch'" in result.stderr


@pytest.fixture
def bad_pages(tmp_path: Path) -> Path:
    folder = tmp_path / "saved"
    folder.mkdir()
    article = next(FIXTURES.glob("sites/outsidethebeltway/20*/*/*/index.html"))
    shutil.copy(article, folder / "good.html")
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (folder / "notes.htm").write_text("just some notes, not a web page\n", encoding="utf-8")
    (folder / "huge.html").write_text("<html><body>" + "<p>word </p>" * 600_000 + "</body></html>")
    (folder / "blank.html").write_text("<html><head><title>x</title></head><body>  </body></html>")
    return folder


@pytest.mark.slow
def test_bad_pages_are_skipped_and_the_run_goes_on(bad_pages: Path, imported_fixtures: str, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(imported_fixtures.removeprefix("sqlite:///"), db)
    url = f"sqlite:///{db}"
    before = stored_articles(url)
    result = run_cli("import", str(bad_pages), "--db", url)
    assert result.returncode == 0, result.stderr
    reasons = {
        "empty.html": "empty response body",
        "binary.html": "not an HTML page",
        "notes.htm": "not an HTML page",
        "huge.html": "over the",
        "blank.html": "main text has 0 characters",
    }
    for name, reason in reasons.items():
        assert any(name in line and reason in line for line in result.stderr.splitlines()), (name, result.stderr)
    # good.html is the same article as a stored one (same canonical URL): updated, not duplicated.
    after = stored_articles(url)
    assert len(after) == len(before)
    assert {a["canonical_url"] for a in after} == {b["canonical_url"] for b in before}


@pytest.mark.slow
def test_dead_host_is_one_line_and_the_crawl_finishes(tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        GOOD_SOURCE.format(name="dead", extra='feeds = ["http://127.0.0.1:9/feed.xml"]\nlocal = true'),
        encoding="utf-8",
    )
    result = run_scrapy(
        "crawl",
        "news",
        "-a",
        f"sources={sources}",
        "-s",
        f"NEWSDEDUP_DATABASE_URL=sqlite:///{tmp_path / 'x.db'}",
        "-s",
        "RETRY_TIMES=0",
        "-s",
        "ROBOTSTXT_OBEY=False",
    )
    assert result.returncode == 0
    assert "http://127.0.0.1:9/feed.xml: fetch failed:" in result.stderr
    assert "'finish_reason': 'finished'" in result.stderr


@pytest.mark.slow
def test_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = run_cli("import", "fixtures/", "--db", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert result.returncode == 1
    assert result.stderr.startswith("error:") and "cannot open database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_outdated_schema_is_refused_with_what_to_run(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    engine.dispose()
    result = run_cli("import", "fixtures/", "--db", sqlite_url)
    assert result.returncode == 2
    assert "newsdedup db upgrade" in result.stderr


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        # The HTTP header wins over a wrong <meta> (as browsers and Scrapy do).
        ("text/html; charset=windows-1252", b'<meta charset="utf-8"><p>caf\xe9 \x93quoted\x94</p>', "café “quoted”"),
        (
            None,
            b'<meta http-equiv="Content-Type" content="text/html; charset=windows-1252"><p>\x93hi\x94 \x97</p>',
            "“hi” —",
        ),
        (None, b'<meta charset="iso-8859-1"><p>na\xefve</p>', "naïve"),
        (None, "<p>déjà vu</p>".encode(), "déjà vu"),
    ],
)
def test_declared_charset_is_honoured(content_type: str | None, body: bytes, expected: str) -> None:
    assert expected in decode_html(body, content_type)
