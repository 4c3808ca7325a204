"""What an article's earlier version costs to keep, on a realistic edit of a 700-word article.

    python -m bench.version_storage
    python -m bench.version_storage --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The article is the first 700 words of real paragraphs from the fixture sites (two Iraq
posts, 17 paragraphs, fixtures/expected.json). Each edit is one a publisher makes; for
each, the earlier text is encoded four ways (payload bytes: "deflated vs new" is deflate
with the newer text as its dictionary, what a positional delta could reach), then
ARTICLES articles are stored and edited through storage.queries.upsert_article, and the
growth of the article_versions table (rows and index, in pages) from the first half to
all of them is divided by their number: SQLite's dbstat, PostgreSQL's
pg_total_relation_size. Writes bench/out/version_storage.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, text

from bench.databases import bench_database, empty
from storage import textdelta
from storage.db import make_engine, migrate, session_scope
from storage.queries import upsert_article
from storage.records import ArticleFields

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OUT = Path(__file__).with_name("out")
ARTICLES = 1000
WORDS = 700
T0 = datetime(2025, 1, 1, tzinfo=UTC)
TITLE = "AQI Courting Shi’ite Gangs?"


def article_paragraphs() -> list[str]:
    truth = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    pool = [
        p
        for a in truth["articles"]
        if a["source"] in ("captainsjournal", "captainsquarters")
        for p in a["body_paragraphs"]
    ]
    paragraphs, words = [], 0
    for paragraph in pool:
        paragraphs.append(paragraph)
        words += len(paragraph.split())
        if words >= WORDS:
            return paragraphs
    raise SystemExit("the fixture articles hold fewer than 700 words")


def edits(paragraphs: list[str]) -> dict[str, tuple[list[str], str]]:
    """Edit name → (the new paragraphs, the new title)."""
    reworded = paragraphs[6].split()
    reworded[3], reworded[12] = "reportedly", "several"
    update = (
        "Update, 6 pm: the Interior Ministry has since said that two of the men arrested in Kut "
        "belonged to a Shiite gang that had taken money from al Qa’eda’s local emir."
    )
    return {
        "a paragraph added": ([*paragraphs[:8], update, *paragraphs[8:]], TITLE),
        "two words of a paragraph changed": ([*paragraphs[:6], " ".join(reworded), *paragraphs[7:]], TITLE),
        "a paragraph removed": ([*paragraphs[:6], *paragraphs[7:]], TITLE),
        "a paragraph rewritten": ([*paragraphs[:6], update, *paragraphs[7:]], TITLE),
        "the headline reworded": (paragraphs, "Al Qaeda in Iraq Is Courting Shiite Gangs, Officials Say"),
    }


def payloads(old: str, new: str) -> dict[str, int]:
    """The earlier text's bytes, encoded four ways (none when the text is unchanged)."""
    if old == new:
        return dict.fromkeys(("text", "deflated", "deflated vs new", "paragraph delta"), "-")  # type: ignore[arg-type]
    raw = old.encode("utf-8")
    with_dictionary = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=new.encode("utf-8"))
    return {
        "text": len(raw),
        "deflated": len(zlib.compress(raw, 9)),
        "deflated vs new": len(with_dictionary.compress(raw) + with_dictionary.flush()),
        "paragraph delta": len(textdelta.encode(old, new)),
    }


def versions_on_disk(url: str, old: str, new: str, new_title: str) -> float:
    """Bytes of article_versions per version: the growth of the table (rows, indexes)
    from ARTICLES/2 to ARTICLES edited articles, so a table's fixed pages do not count."""
    engine = make_engine(url, writer=True)
    empty(engine)
    migrate(engine)
    sizes = []
    for half in (range(ARTICLES // 2), range(ARTICLES // 2, ARTICLES)):
        with session_scope(engine) as session:
            for n in half:
                page = f"https://bench.example/{n}"
                upsert_article(session, "bench", ArticleFields(page, page, old, title=TITLE, fetched_at=T0))
                later = T0 + timedelta(hours=1)
                upsert_article(session, "bench", ArticleFields(page, page, new, title=new_title, fetched_at=later))
        sizes.append(_table_size(engine))
    engine.dispose()
    return (sizes[1] - sizes[0]) / (ARTICLES // 2)


def _table_size(engine: Engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            return conn.scalar(
                text("SELECT sum(pgsize) FROM dbstat WHERE name IN ('article_versions', :index)"),
                {"index": "sqlite_autoindex_article_versions_1"},
            )
        return conn.scalar(text("SELECT pg_total_relation_size('article_versions')"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL URL as well as SQLite (its bench database is used)")
    args = parser.parse_args()
    paragraphs = article_paragraphs()
    old = "\n".join(paragraphs)
    backends = {"SQLite": None, **({"PostgreSQL": bench_database(args.db)} if args.db else {})}
    title = f"bytes of one earlier version of a {len(old.split())}-word article ({len(paragraphs)} paragraphs)"
    table = Table("edit", "text", "deflated", "deflated vs new", "paragraph delta", title=title)
    for backend in backends:
        table.add_column(f"{backend} row", justify="right")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, (new_paragraphs, new_title)) in enumerate(edits(paragraphs).items()):
            new = "\n".join(new_paragraphs)
            row: dict[str, str | int] = {"edit": name, **payloads(old, new)}
            for backend, url in backends.items():
                row[backend] = round(versions_on_disk(url or f"sqlite:///{tmp}/edit{n}.db", old, new, new_title))
            results.append(row)
            table.add_row(*(str(value) for value in row.values()))
    Console(width=130).print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "version_storage.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
