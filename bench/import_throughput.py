"""Offline import throughput against plain trafilatura, on SQLite and PostgreSQL.

    python -m bench.import_throughput --pages 10000
    python -m bench.import_throughput --pages 10000 --db postgresql+psycopg://postgres@127.0.0.1:5432/postgres

Builds the throughput corpus (bench/throughput_corpus.py), then in the same run:
``trafilatura.extract`` over every file in one process (the one-core ceiling) and in
two (half the files each: what two cores can give at best), and
``newsdedup import`` of the same folder (extraction pool, comments, dedup, store) into a
fresh database. Prints pages/s, ms/page, peak RSS (the import's whole process tree) and
the ratio to trafilatura; writes bench/out/import_throughput.json.

    python -m bench.import_throughput --realworld 6

``--realworld COPIES`` times the real pages of ../shared/realworld/trafilatura-eval/
instead (884 present; bench/analyze_cost.py's list), each copied COPIES times into a
temporary folder under bench/out/, one folder per copy (``copy-K/FILE``). A saved page's
URL is its canonical link / og:url, else its file path (README, ``newsdedup import``), so
the folders alone keep only the pages that declare neither apart: in copy K > 0 every
occurrence of the page's declared canonical and og:url is rewritten to the same URL with
``/copy-K`` put before its path (same site; copy 0 is the page as saved). The same
bytes go into one .warc.gz (the crawl's writer, warcio: a response and its request per
copy), each at its evaldata.json URL (or, where that is no http(s) URL, the one the
page declares, else http://bench.test/FILE) with the same ``/copy-K``, so every copy is
a distinct article there too; the trafilatura run gets the same URLs. Then, in the same run, each in a fresh process:

- ``trafilatura.bare_extraction(html, url=..., with_metadata=True)`` over every file
  (reading each), one process;
- ``newsdedup import FOLDER`` into a fresh SQLite database;
- ``newsdedup import FILE.warc.gz`` into another.

Wall time of each whole run (start-up included) and its CPU time (user + sys of the
child and its waited-for children, ``RUSAGE_CHILDREN``), so the CPU ratio holds when
other work shares the machine; peak RSS of the process tree, sampled. Writes
bench/out/import_throughput_realworld.json (with each import's ``newsdedup runs --json``
record, whose ``steps`` it prints: what each of the store's steps cost a stored article)
and removes the temporary folder.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import lxml.html
import trafilatura
from lxml import etree
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from bench.analyze_cost import page_files
from bench.databases import bench_database, empty
from bench.procmem import PeakTreeRSS
from bench.realworld import EVAL, ROOT
from bench.throughput_corpus import build
from cli.crawls import steps_table
from pipelines.declarations import declarations
from pipelines.extract import declared_url
from storage.db import make_engine, session_for_url
from storage.models import Article, Comment

OUT = Path(__file__).with_name("out")


def _extract_all(pages: list[Path]) -> int:
    return sum(1 for page in pages if trafilatura.extract(page.read_bytes()))


def plain_trafilatura(pages: list[Path]) -> dict:
    started, cpu_started = time.perf_counter(), time.process_time()
    extracted = _extract_all(pages)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "run": "trafilatura.extract, 1 process",
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "articles": extracted,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def two_process_trafilatura(pages: list[Path]) -> dict:
    """The same over two processes, half the pages each: the most two cores give."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_extract_all, [pages[:20], pages[:20]]))  # started and imported, untimed
        started = time.perf_counter()
        extracted = sum(pool.map(_extract_all, [pages[0::2], pages[1::2]]))
        seconds = time.perf_counter() - started
    # Peak RSS is not sampled for this row (0: shown as –).
    return {"run": "trafilatura.extract, 2 processes", "seconds": seconds, "articles": extracted, "peak_rss_mb": 0.0}


def measured_run(command: list[str], what: str) -> tuple[dict, str, str]:
    """Runs ``command`` to its end: its wall seconds, CPU seconds (user + sys of it and the
    children it waited for) and peak RSS of its process tree (sampled), its stdout and stderr."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with process, PeakTreeRSS(process.pid) as memory:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{what} failed: {stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu_seconds": cpu, "peak_rss_mb": memory.peak_mb}, stdout, stderr


def newsdedup_import(folder: Path, url: str, label: str, extra: list[str]) -> dict:
    command = [sys.executable, "-m", "cli", "import", str(folder), "--db", url, *extra]
    figures, stdout, stderr = measured_run(command, "import")
    summary = (stdout + stderr).splitlines()
    skipped = [" ".join(line.strip("│┃ ").split()) for line in summary if line.lstrip("│┃ ").startswith("skipped")]
    with session_for_url(url) as session:
        articles = session.scalar(select(func.count()).select_from(Article)) or 0
        comments = session.scalar(select(func.count()).select_from(Comment)) or 0
    return {"run": label, **figures, "articles": articles, "comments": comments, "skipped": skipped}


def report(runs: list[dict], pages: int, title: str) -> None:
    """Adds each run's rates and its ratios to the first run (wall and, where measured,
    CPU) and prints them as a table."""
    first = runs[0]
    table = Table(
        "run",
        "pages/s",
        "ms/page",
        "× trafilatura",
        "CPU ms/page",
        "× trafilatura (CPU)",
        "peak RSS MB",
        "articles",
        "comments",
        title=title,
    )
    for run in runs:
        rate = pages / run["seconds"]
        run.update(
            pages=pages,
            pages_per_s=round(rate, 1),
            ms_per_page=round(1000 / rate, 2),
            ratio=round(first["seconds"] / run["seconds"], 2),
        )
        cpu = run.get("cpu_seconds")
        if cpu and first.get("cpu_seconds"):
            run.update(cpu_ms_per_page=round(1000 * cpu / pages, 2), cpu_ratio=round(first["cpu_seconds"] / cpu, 2))
        table.add_row(
            run["run"],
            f"{rate:.1f}",
            f"{1000 / rate:.1f}",
            f"{run['ratio']:.2f}",
            f"{run['cpu_ms_per_page']:.1f}" if "cpu_ms_per_page" in run else "–",
            f"{run['cpu_ratio']:.2f}" if "cpu_ratio" in run else "–",
            f"{run['peak_rss_mb']:.0f}" if run["peak_rss_mb"] else "–",
            str(run["articles"]),
            str(run.get("comments", "")),
        )
    Console(width=200).print(table)


def steps_report(run: dict) -> None:
    """What the store's named steps cost an import, from its run record (as `newsdedup runs --steps` shows them)."""
    steps = run["record"].get("steps", {})
    articles = steps.get("write", {}).get("count", 0)
    Console(width=200).print(steps_table(steps, f"{run['run']}: the store's steps, {articles} articles stored"))


def copy_url(url: str, copy: int) -> str:
    """The URL of copy ``copy`` of a page: the same site, ``/copy-K`` before the path."""
    if copy == 0:
        return url
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/copy-{copy}{parts.path or '/'}", parts.query, parts.fragment))


def declared_urls(html: bytes) -> list[str]:
    """The page's canonical link and og:url as its bytes spell them (what the importer
    takes as a saved page's URL)."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, etree.ParserError):
        return []
    declared = declarations(tree)
    urls = (declared_url(declared.link_href("canonical")), declared_url(declared.meta_content(properties=("og:url",))))
    return [url for url in urls if url is not None and _spelled(url, html)]


def _spelled(url: str, html: bytes) -> tuple[bytes, str] | None:
    """How the page's bytes spell ``url``, and in which encoding (None: they do not)."""
    for encoding in ("utf-8", "latin-1"):
        if (spelled := url.encode(encoding, "ignore")) in html:
            return spelled, encoding
    return None


def page_url(url: str, declared: list[str], path: Path) -> str:
    """An http(s) URL for the page: its evaldata.json key when it is one (some are
    ``hard::FILE`` or ``xhttps://…``), else what it declares, else one on bench.test."""
    if not url.startswith(("http://", "https://")):
        url = declared[0] if declared else f"http://bench.test/{path.name}"
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")  # the request line is ASCII


def page_copy(html: bytes, declared: list[str], copy: int) -> bytes:
    for url in declared:
        if found := _spelled(url, html):
            spelled, encoding = found
            html = html.replace(spelled, copy_url(url, copy).encode(encoding, "ignore"))
    return html


def build_realworld(work: Path, copies: int, limit: int) -> tuple[Path, Path, Path, dict]:
    """The copies as a folder (copy-K/FILE), the manifest of (URL, file) the trafilatura
    run reads, and one .warc.gz of the same bytes; see the module docstring."""
    from bench.warc_import import write_warc  # it imports this module

    folder, manifest = work / "pages", []
    originals = page_files(EVAL, limit)
    declared = {path: declared_urls(path.read_bytes()) for _, path in originals}
    for copy in range(copies):  # copy by copy, in the order the folder import reads them
        (folder / f"copy-{copy}").mkdir(parents=True)
        for url, path in originals:
            target = folder / f"copy-{copy}" / path.name
            target.write_bytes(page_copy(path.read_bytes(), declared[path], copy))
            manifest.append((copy_url(page_url(url, declared[path], path), copy), str(target)))
    (work / "manifest.json").write_text(json.dumps(manifest))
    warc, _, write_seconds = write_warc(((url, Path(file).read_bytes()) for url, file in manifest), work / "warc")
    corpus = {
        "originals": len(originals),
        "copies": copies,
        "pages": len(manifest),
        "declaring_a_url": sum(bool(urls) for urls in declared.values()),
        "mb": round(sum(Path(file).stat().st_size for _, file in manifest) / 1e6, 1),
        "warc_mb": round(warc.stat().st_size / 1e6, 1),
        "warc_write_s": round(write_seconds, 1),
    }
    return folder, work / "manifest.json", warc, corpus


def bare_extraction_over(manifest: str) -> None:
    """The trafilatura run's child: every (URL, file) of the manifest, read and extracted."""
    extracted = 0
    for url, file in json.loads(Path(manifest).read_text()):
        result = trafilatura.bare_extraction(Path(file).read_bytes(), url=url, with_metadata=True)
        extracted += bool(result and result.text)
    print(json.dumps({"articles": extracted}))


def run_record(url: str) -> dict:
    """The import's ``newsdedup runs --json`` record, with its per-source errors summed."""
    command = [sys.executable, "-m", "cli", "runs", "--json", "--limit", "1", "--db", url]
    record = json.loads(subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    errors: Counter[str] = Counter()
    for counts in record.get("per_source", {}).values():
        errors.update(counts.get("errors", {}))
    return {"record": record, "errors": dict(errors)}


def realworld(copies: int, limit: int, extra: list[str]) -> None:
    OUT.mkdir(exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="realworld-import-", dir=OUT))
    try:
        folder, manifest, warc, corpus = build_realworld(work, copies, limit)
        Console().print(corpus)
        for file in [*folder.rglob("*.html"), warc]:  # every run reads the files from the OS cache
            file.read_bytes()
        child = f"from bench.import_throughput import bare_extraction_over; bare_extraction_over({str(manifest)!r})"
        figures, stdout, _ = measured_run([sys.executable, "-c", child], "trafilatura")
        runs = [{"run": "trafilatura.bare_extraction(with_metadata=True), 1 process", **figures, **json.loads(stdout)}]
        for path, label in (
            (folder, "newsdedup import FOLDER → SQLite"),
            (warc, "newsdedup import FILE.warc.gz → SQLite"),
        ):
            db = f"sqlite:///{work / 'import.db'}"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{work / 'import.db'}{suffix}").unlink(missing_ok=True)
            runs.append({**newsdedup_import(path, db, label, extra), **run_record(db)})
        report(runs, corpus["pages"], f"{corpus['pages']} real pages ({corpus['originals']} × {copies})")
        for run in runs[1:]:
            Console().print(run["run"], run["skipped"], run["errors"] or "")
            steps_report(run)
        result = {"corpus": corpus, "settings": extra, "runs": runs}
        (OUT / "import_throughput_realworld.json").write_text(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--lean", action="store_true", help="The corpus without site chrome (~7 KB pages).")
    parser.add_argument("--db", help="PostgreSQL server URL (its own database is created); default SQLite only.")
    parser.add_argument("--set", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--realworld", type=int, metavar="COPIES", help="The real pages, each copied COPIES times.")
    parser.add_argument("--limit", type=int, default=0, help="--realworld: only the first N real pages.")
    args = parser.parse_args()
    extra = [option for setting in args.settings for option in ("--set", setting)]
    if args.realworld:
        realworld(args.realworld, args.limit, extra)
        return
    corpus = OUT / f"throughput-{args.pages}-{args.seed}{'-lean' if args.lean else ''}"
    if not (corpus / "corpus.json").exists():
        build(corpus, args.pages, args.seed, args.lean)
    folder = corpus / "pages"
    pages = sorted(folder.rglob("*.html"))
    for page in pages:  # every run reads the files from the OS cache, the first one too
        page.read_bytes()
    runs = [plain_trafilatura(pages), two_process_trafilatura(pages)]
    sqlite_path = OUT / "import_throughput.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    runs.append(newsdedup_import(folder, f"sqlite:///{sqlite_path}", "newsdedup import → SQLite", extra))
    if args.db:
        url = bench_database(args.db)
        engine = make_engine(url)
        empty(engine)
        engine.dispose()
        runs.append(newsdedup_import(folder, url, "newsdedup import → PostgreSQL", extra))
    report(runs, len(pages), f"{len(pages)} pages")
    OUT.mkdir(exist_ok=True)
    (OUT / "import_throughput.json").write_text(json.dumps({"settings": args.settings, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
