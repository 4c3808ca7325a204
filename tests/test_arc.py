"""ARC files (the Internet Archive's and Common Crawl's older archives) and telling what
a path is by its content: the reader in process, then `newsdedup import` end to end."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from crawler.spiders.warc import import_inputs
from pipelines.warc_read import ArchivedResponse, Broken, Skipped, WarcReader, read_response_at
from pipelines.warc_records import sniff
from tests.conftest import FIXTURES, run_cli, stored_articles
from tests.warcs import write_arc, write_pages_warc

INLINE = ("--workers", "0")
# Three fixture articles that name their canonical URL: archived at it, they are stored
# with the same URL, title and text whatever file they came from.
ARTICLES = ("outsidethebeltway", "antiwar", "captainsjournal")


@pytest.fixture(scope="module")
def articles(expected: dict) -> list[dict]:
    """The expected.json entries of ARTICLES, with their page's bytes as ``html``."""
    chosen = [next(a for a in expected["articles"] if a["source"] == s and a["canonical_url"]) for s in ARTICLES]
    return [{**a, "html": (FIXTURES / a["path"]).read_bytes()} for a in chosen]


def pages(articles: list[dict]) -> list[tuple[str, bytes]]:
    return [(a["canonical_url"], a["html"]) for a in articles]


def read_all(path: Path) -> tuple[list[ArchivedResponse], list[Skipped], list[Broken]]:
    reads = list(WarcReader([path]))
    return (
        [r for r in reads if isinstance(r, ArchivedResponse)],
        [r for r in reads if isinstance(r, Skipped)],
        [r for r in reads if isinstance(r, Broken)],
    )


# --- the reader, in process -------------------------------------------------------------


@pytest.mark.parametrize("gzipped", [False, True], ids=["arc", "arc.gz"])
def test_arc_records_are_read_as_responses(articles: list[dict], tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("old.arc.gz" if gzipped else "old.arc")
    offsets = write_arc(path, pages(articles), gzip=gzipped)
    responses, skipped, broken = read_all(path)
    assert broken == [] and [s.reason for s in skipped] == ["warcinfo"]  # the version block
    assert [(r.url, r.body) for r in responses] == pages(articles)
    assert {r.fetched_at.isoformat() for r in responses} == {"2014-07-02T12:00:00+00:00"}
    assert [r.location.offset for r in responses] == offsets[1:]
    # Reprocess and export read a record at its offset: ARC records too.
    assert read_response_at(responses[1].location).body == articles[1]["html"]


def test_a_truncated_arc_gz_keeps_the_records_before_the_break(articles: list[dict], tmp_path: Path) -> None:
    path = tmp_path / "cut.arc.gz"
    offsets = write_arc(path, pages(articles), gzip=True)
    data = path.read_bytes()
    path.write_bytes(data[: (offsets[3] + len(data)) // 2])  # the last member, cut in half
    responses, _, broken = read_all(path)
    assert [r.url for r in responses] == [a["canonical_url"] for a in articles[:2]]
    assert [str(b) for b in broken] == [
        f"{path}: record at offset {offsets[3]}: truncated gzip member (the file ends inside it)"
    ]


def test_a_damaged_plain_arc_goes_on_at_the_next_record(articles: list[dict], tmp_path: Path) -> None:
    path = tmp_path / "damaged.arc"
    offsets = write_arc(path, pages(articles))
    data = path.read_bytes()
    # The first URL record loses its header line's start: its bytes are no record.
    path.write_bytes(data[: offsets[1]] + data[offsets[1] + 20 :])
    responses, _, broken = read_all(path)
    assert [r.url for r in responses] == [a["canonical_url"] for a in articles[1:]]
    assert len(broken) == 1 and str(broken[0]).startswith(f"{path}: record at offset {offsets[1]}: not an ARC record")


def test_what_a_file_is_comes_from_its_content(articles: list[dict], tmp_path: Path) -> None:
    write_arc(tmp_path / "a.txt", pages(articles[:1]), gzip=True)
    write_pages_warc(tmp_path / "b.html", pages(articles[:1]))
    (tmp_path / "c.warc").write_text("just some notes\n")
    (tmp_path / "d").write_bytes(articles[0]["html"])
    (tmp_path / "e.arc.gz").write_bytes(gzip.compress(articles[0]["html"]))
    (tmp_path / "f.gz").write_bytes(gzip.compress(b"x" * 10_000)[:20])
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    found = {p.name: sniff(p) for p in sorted(tmp_path.iterdir())}
    assert {name: s.kind for name, s in found.items()} == {
        "a.txt": "arc",
        "b.html": "warc",
        "c.warc": "other",
        "d": "html",
        "e.arc.gz": "html",
        "f.gz": "damaged",
        "logo.png": "other",
    }
    assert found["c.warc"].detail == "plain text ('just some notes')"
    assert found["e.arc.gz"].detail == "a gzipped HTML page"
    # An import of the folder: archives by content or by name (the reader says what a
    # misnamed one holds), pages by content; the rest is left alone.
    archives, saved = import_inputs(tmp_path)
    assert [p.name for p in archives] == ["a.txt", "b.html", "c.warc", "e.arc.gz"]
    assert [p.name for p in saved] == ["d"]
    assert [str(b) for b in read_all(tmp_path / "c.warc")[2]] == [
        f"{tmp_path / 'c.warc'}: record at offset 0: not a WARC or ARC file: plain text ('just some notes')"
    ]


# --- end to end (subprocesses) ------------------------------------------------------------


def stored(url: str) -> dict[str, dict]:
    return {row["canonical_url"]: row for row in stored_articles(url)}


def summary(stderr: str) -> dict[str, str]:
    """The import summary table's rows, label to value."""
    cells = (line.strip("│ ").split("│") for line in stderr.splitlines() if line.startswith("│"))
    return {row[0].strip(): row[-1].strip() for row in cells if len(row) == 2}


def assert_stored(rows: dict[str, dict], articles: list[dict]) -> None:
    for article in articles:
        row = rows[article["canonical_url"]]
        assert row["title"] == article["title"]
        assert article["body_paragraphs"][0] in row["text"]


@pytest.mark.slow
def test_arc_then_a_truncated_arc_gz_of_the_same_pages(articles: list[dict], tmp_path: Path, sqlite_url: str) -> None:
    arc = tmp_path / "IA-001102.arc"
    write_arc(arc, pages(articles))
    result = run_cli("import", str(arc), "--db", sqlite_url, *INLINE)
    assert result.returncode == 0, result.stderr
    assert summary(result.stderr)["archived HTML responses"] == "3"
    rows = stored(sqlite_url)
    assert len(rows) == 3
    assert_stored(rows, articles)

    # The same captures again, gzipped and cut short in the last one: the first two are
    # read (and are the stored rows, not new ones), the break is one line.
    cut = tmp_path / "IA-001102.arc.gz"
    offsets = write_arc(cut, pages(articles), gzip=True)
    data = cut.read_bytes()
    cut.write_bytes(data[: (offsets[3] + len(data)) // 2])
    result = run_cli("import", str(cut), "--db", sqlite_url, *INLINE)
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert errors == [f"ERROR {cut}: record at offset {offsets[3]}: truncated gzip member (the file ends inside it)"]
    assert summary(result.stderr)["archived HTML responses"] == "2"
    assert stored(sqlite_url) == rows


@pytest.mark.slow
def test_a_folder_of_archives_and_pages_is_read_by_content(
    articles: list[dict], tmp_path: Path, sqlite_url: str
) -> None:
    folder = tmp_path / "mixed"
    (folder / "pages").mkdir(parents=True)
    first, second, third = articles
    write_pages_warc(folder / "capture.bin", pages([first]))  # a WARC, misnamed
    write_arc(folder / "old.arc.gz", pages([second]), gzip=True)
    (folder / "pages" / "saved").write_bytes(third["html"])  # an HTML page without .html
    (folder / "notes.warc").write_text("todo: find the 2008 archive\n")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    result = run_cli("import", str(folder), "--db", sqlite_url, *INLINE)
    assert result.returncode == 0, result.stderr
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert errors == [
        f"ERROR {folder / 'notes.warc'}: record at offset 0:"
        " not a WARC or ARC file: plain text ('todo: find the 2008 archive')"
    ]
    assert summary(result.stderr)["saved pages read"] == "1"
    rows = stored(sqlite_url)
    assert len(rows) == 3
    assert_stored(rows, articles)


@pytest.mark.slow
def test_text_named_warc_and_a_broken_sources_file_are_one_usage_line(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    notes = tmp_path / "notes.warc"
    notes.write_text("not an archive, just notes\n")
    result = run_cli("import", str(notes), "--db", f"sqlite:///{db}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {notes}: not a WARC or ARC file: plain text ('not an archive, just notes')"
    ]
    # A sources file is recognised by its content too: TOML that parses, whatever its name.
    sources = tmp_path / "my-sources"
    sources.write_text('[[source]]\nname = "blog"\nhome = "https://example.org/"\n')
    result = run_cli("import", str(sources), "--db", f"sqlite:///{db}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {sources}: source 'blog': needs at least one of feeds, sitemaps or sections"
    ]
    assert not db.exists()
