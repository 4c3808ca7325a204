"""WARC import throughput against plain trafilatura over the same records, and the readers.

    python -m bench.warc_import                 # 10,008 responses (~7 min on 2 cores)
    python -m bench.warc_import --pages 2000    # a quicker look

Wraps the throughput corpus (bench/throughput_corpus.py: 93 KB news pages, 3% junk)
into one per-record-gzipped WARC file of response + request records with the crawl's own
writer (pipelines/warc_write.py), then in the same run:

- reads every record with warcio and with FastWARC (when installed): records/s, MB/s;
- ``trafilatura.extract`` over every HTML response, read by warcio (the importer's
  reader), in one process: the plain library doing the same work;
- ``newsdedup import FILE.warc.gz`` into a fresh SQLite database (extraction pool,
  comments, dedup, store): pages/s, ms/page, peak RSS of its process tree.

Prints a table and writes bench/out/warc_import.json.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import trafilatura
from rich.console import Console
from rich.table import Table
from warcio.archiveiterator import ArchiveIterator

from bench.import_throughput import newsdedup_import
from bench.throughput_corpus import build
from pipelines.warc_write import Exchange, RotatingWarcWriter, warcinfo

OUT = Path(__file__).with_name("out")


def write_warc(pages: Iterable[tuple[str, bytes]], out: Path) -> tuple[Path, int, float]:
    """(target URI, body) pairs as response records (and their requests) in one file, by
    the crawl's writer; returns the file, the number of responses and the writer's seconds.
    The response names no charset, as a saved page does not: the importer sniffs it."""
    writer = RotatingWarcWriter(out, max_bytes=1 << 40, info=warcinfo("bench.warc_import"), prefix="bench")
    fetched = datetime(2024, 5, 1, tzinfo=UTC)
    headers = [("Content-Type", "text/html"), ("Server", "bench")]
    started = time.perf_counter()
    responses = 0
    for url, body in pages:
        writer.write(Exchange(url, "GET", [("User-Agent", "bench")], 200, "OK", headers, body, fetched))
        responses += 1
    writer.close()
    return writer.files[0], responses, time.perf_counter() - started


def folder_pages(folder: Path) -> Iterator[tuple[str, bytes]]:
    """The throughput corpus's pages, each at http://bench.test/ + its path in the folder."""
    for page in sorted(folder.rglob("*.html")):
        yield "http://bench.test/" + page.relative_to(folder).as_posix(), page.read_bytes()


def read_warcio(path: Path) -> tuple[int, int]:
    records = body_bytes = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                body_bytes += len(record.content_stream().read())
                records += 1
    return records, body_bytes


def read_fastwarc(path: Path) -> tuple[int, int] | None:
    try:
        from fastwarc.warc import ArchiveIterator as FastIterator
        from fastwarc.warc import WarcRecordType
    except ImportError:
        return None
    records = body_bytes = 0
    # FastWARC 2.0 detects the compression itself; "content" decodes Content-Encoding,
    # as warcio's content_stream() does.
    for record in FastIterator(str(path), record_types=WarcRecordType.response, auto_decode="content"):
        body_bytes += len(record.reader.read())
        records += 1
    return records, body_bytes


def timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def plain_trafilatura(path: Path) -> dict:
    """Every HTML response read with warcio, then trafilatura.extract: one process."""
    started = time.perf_counter()
    extracted = 0
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response" and trafilatura.extract(record.content_stream().read()):
                extracted += 1
    seconds = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"run": "warcio + trafilatura.extract, 1 process", "seconds": seconds, "articles": extracted, "rss": rss}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    corpus = OUT / f"throughput-{args.pages}-{args.seed}"
    if not (corpus / "corpus.json").exists():
        build(corpus, args.pages, args.seed)
    for old in (corpus / "warc").glob("*.warc.gz"):
        old.unlink()
    path, responses, write_seconds = write_warc(folder_pages(corpus / "pages"), corpus / "warc")
    size_mb = path.stat().st_size / 1e6
    path.read_bytes()  # every run reads the file from the OS cache, the first one too
    console = Console()
    readers = Table("reader", "records/s", "MB/s (bodies)", "seconds", title=f"reading {path.name} ({size_mb:.0f} MB)")
    figures: dict = {"responses": responses, "warc_mb": round(size_mb, 1), "write_s": round(write_seconds, 2)}
    for name, reader in (("warcio 1.8.1", read_warcio), ("FastWARC 2.0.0", read_fastwarc)):
        result, seconds = timed(reader, path)
        if result is None:
            readers.add_row(name, "not installed", "", "")
            continue
        records, body_bytes = result
        readers.add_row(name, f"{records / seconds:.0f}", f"{body_bytes / 1e6 / seconds:.0f}", f"{seconds:.2f}")
        figures[name] = {"records_per_s": round(records / seconds), "seconds": round(seconds, 2)}
    console.print(readers)
    console.print(f"written by RotatingWarcWriter: {responses / write_seconds:.0f} exchanges/s")
    extra = [option for setting in args.settings for option in ("--set", setting)]
    db = OUT / "warc_import.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    imported = newsdedup_import(path, f"sqlite:///{db}", "newsdedup import FILE.warc.gz → SQLite", extra)
    runs = [plain_trafilatura(path), {**imported, "rss": imported["peak_rss_mb"]}]
    ceiling = responses / runs[0]["seconds"]
    columns = ("run", "pages/s", "ms/page", "× trafilatura", "peak RSS MB", "articles")
    table = Table(*columns, title=f"{responses} responses")
    for run in runs:
        rate = responses / run["seconds"]
        run.update(pages_per_s=round(rate, 1), ms_per_page=round(1000 / rate, 2), ratio=round(rate / ceiling, 2))
        table.add_row(
            run["run"],
            f"{rate:.1f}",
            f"{1000 / rate:.1f}",
            f"{rate / ceiling:.2f}",
            f"{run['rss']:.0f}",
            str(run["articles"]),
        )
    console.print(table)
    OUT.mkdir(exist_ok=True)
    (OUT / "warc_import.json").write_text(json.dumps({**figures, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
