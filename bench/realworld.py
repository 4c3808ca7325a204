"""Real pages, not ours: newsdedup's stored text against plain trafilatura on the 923 real
pages of ../shared/realworld/trafilatura-eval/ (labeled body, not-body and reader-comment
segments, plus title/author/date), scored as trafilatura's own evaluation scores them.

Both rows run over the same files in the same run. newsdedup's row is the importer's code
path with the project's settings (crawler/settings.py): ``analyze_page`` in a worker, then
the store's per-source boilerplate step. A page newsdedup does not store counts as all of
its ``with`` segments missed; skipped pages are listed by reason.

    .venv/bin/python -m bench.realworld [--jobs 2] [--limit N] [--show-losses]

This set is the judge, not a tuning set: nothing here is tuned page by page.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from bench.realworld_score import PageScore, Totals, comment_score, fold, metadata_score, segment_score

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "realworld" / "trafilatura-eval"
OUT = ROOT / "bench" / "out" / "realworld.json"


@dataclass
class PageResult:
    """What one system made of one page (plain data, so it crosses process boundaries)."""

    body: str | None = None
    comments: list[str] = field(default_factory=list)
    title: str | None = None
    title_source: str | None = None
    html_title: str | None = None
    authors: list[str] = field(default_factory=list)
    date: str | None = None
    date_source: str | None = None
    authors_source: str | None = None
    skipped: str | None = None
    ms: float = 0.0


def run_trafilatura(html: bytes, url: str) -> PageResult:
    """Plain trafilatura, as its own evaluation runs it (body), plus its metadata and comments."""
    import trafilatura

    start = time.perf_counter()
    body = trafilatura.extract(html, url=url, include_comments=False)
    ms = (time.perf_counter() - start) * 1000
    # Metadata and trafilatura's own comment extraction, for the reference columns (untimed).
    doc = trafilatura.bare_extraction(html, url=url, include_comments=True, with_metadata=True)
    comments = [doc.comments] if doc is not None and doc.comments else []
    authors = [a.strip() for a in ((doc.author if doc else None) or "").split(";") if a.strip()]
    return PageResult(
        body=body,
        comments=comments,
        title=doc.title if doc else None,
        authors=authors,
        date=(doc.date or "")[:10] or None if doc else None,
        ms=ms,
    )


def run_newsdedup(html: bytes, url: str) -> PageResult:
    """The importer's path: the project's settings, analyze_page, then the store's boilerplate step."""
    from pipelines.analysis import analyze_page
    from pipelines.errors import RejectedPage
    from pipelines.page import ExtractRules, FetchedPage

    config = _project_config()
    start = time.perf_counter()
    page = FetchedPage(url, html, None, datetime.now(UTC))
    try:
        analysis = analyze_page(page, ExtractRules(), config)
    except RejectedPage as exc:
        return PageResult(skipped=f"{type(exc).__name__}: {exc}", ms=(time.perf_counter() - start) * 1000)
    ms = (time.perf_counter() - start) * 1000
    extraction = analysis.extraction
    return PageResult(
        body=extraction.text,
        comments=[c.text for c in analysis.comments],
        title=extraction.title,
        title_source=extraction.title_source,
        html_title=extraction.html_title,
        authors=extraction.authors,
        date=extraction.published_at.isoformat() if extraction.published_at else None,
        date_source=extraction.published_source,
        authors_source=extraction.authors_source,
        ms=ms,
    )


_CONFIG = None


def _project_config():  # type: ignore[no-untyped-def]
    """The AnalyzeConfig a crawl or import builds from the project's settings."""
    global _CONFIG  # noqa: PLW0603 - once per worker process
    if _CONFIG is None:
        from scrapy.settings import Settings

        from crawler import settings as project_settings
        from pipelines.analysis import analyze_config

        _CONFIG = analyze_config(Settings(project_settings.__dict__))
    return _CONFIG


def remove_source_boilerplate(results: list[tuple[str, PageResult]]) -> None:
    """The store's per-source steps, as the database holds them once every page is in:
    a paragraph on BOILERPLATE_MIN_ARTICLES pages of one host goes from all of them, and
    so does a title affix their <title>s share (saved pages belong to the host they came
    from)."""
    from pipelines.boilerplate import BoilerplateConfig, paragraph_keys, without_paragraphs
    from pipelines.source_titles import METADATA_SOURCES, affix_keys, without_affixes

    config = BoilerplateConfig()
    by_host: dict[str, list[PageResult]] = {}
    for url, result in results:
        if result.body is not None:
            by_host.setdefault(urlsplit(url).hostname or "", []).append(result)
    for host_pages in by_host.values():
        seen = Counter(key for page in host_pages for key in paragraph_keys(page.body or "", config))
        boilerplate = {key for key, n in seen.items() if n >= config.min_articles}
        affixes = Counter(key for page in host_pages for key in affix_keys(page.html_title))
        learned = {key for key, n in affixes.items() if n >= config.min_articles}
        for page in host_pages:
            page.body = without_paragraphs(page.body or "", boilerplate, config)
            if page.title and page.title_source in METADATA_SOURCES:
                page.title = without_affixes(page.title, learned)


def run_page(path: str, url: str, comment_segments: list[str]) -> tuple[PageResult, PageResult, float, list[bool]]:
    html = Path(path).read_bytes()
    ours = run_newsdedup(html, url)
    plain = run_trafilatura(html, url)
    return ours, plain, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, in_saved_html(html, comment_segments)


def in_saved_html(html: bytes, segments: list[str]) -> list[bool]:
    """Which labeled comment segments the saved page holds at all (a thread a script
    loads later is not in the file, and no extractor can find it there)."""
    from trafilatura import load_html

    tree = load_html(html) if segments else None
    text = fold(tree.text_content()) if tree is not None else ""
    return [fold(segment) in text for segment in segments]


def score(truth: dict, result: PageResult, on_page: list[bool]) -> PageScore:
    page = PageScore()
    segment_score(page, truth, result.body or "", result.comments)
    comment_score(page, truth, result.body or "", result.comments, on_page)
    metadata_score(page, truth, result.title, result.authors, result.date)
    page.skipped = result.skipped
    return page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the trafilatura-eval folder")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--show-losses", action="store_true", help="list every page losing >5 points of recall")
    args = parser.parse_args()

    truth = json.loads((args.eval / "evaldata.json").read_text(encoding="utf-8"))
    pages = [(url, item) for url, item in truth.items() if (args.eval / "pages" / item["file"]).is_file()]
    if args.limit:
        pages = pages[: args.limit]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.jobs) as pool:
        futures = [
            pool.submit(run_page, str(args.eval / "pages" / item["file"]), url, item.get("comments") or [])
            for url, item in pages
        ]
        results = [f.result() for f in futures]
    wall = time.perf_counter() - started

    remove_source_boilerplate([(url, ours) for (url, _), (ours, *_) in zip(pages, results, strict=True)])
    ours_total, plain_total = Totals("newsdedup"), Totals("trafilatura")
    losses, details = [], []
    for (url, item), (ours, plain, rss, on_page) in zip(pages, results, strict=True):
        ours_page, plain_page = score(item, ours, on_page), score(item, plain, on_page)
        ours_total.add(ours_page, ours.ms, rss)
        plain_total.add(plain_page, plain.ms, rss)
        drop = plain_page.recall - ours_page.recall
        if drop > 0.05:
            losses.append((drop, item["file"], url, ours.skipped or ""))
        details.append(
            {
                "url": url,
                "file": item["file"],
                "newsdedup": asdict(ours_page),
                "trafilatura": asdict(plain_page),
                # What each system stored, beside the label, to read a metadata miss's cause.
                "metadata": {
                    "label": {"title": item.get("title"), "author": item.get("author")},
                    "newsdedup": {
                        "title": ours.title,
                        "title_source": ours.title_source,
                        "authors": ours.authors,
                        "authors_source": ours.authors_source,
                        "date": ours.date,
                        "date_source": ours.date_source,
                    },
                    "trafilatura": {"title": plain.title, "authors": plain.authors, "date": plain.date},
                },
            }
        )

    print(
        f"{len(pages)} real pages ({sum(1 for _, i in pages if i.get('comments'))} with reader comments), "
        f"{args.jobs} processes, {wall:.0f} s\n"
    )
    print(Totals.header())
    for total in (plain_total, ours_total):
        print(total.row())
    print(
        "\ncmt R: comment segments found in stored comment records (trafilatura: its include_comments output);"
        "\ncmt R html: the same over the segments the saved HTML holds (the others load by script);"
        "\nfalse cmt: body (`with`) segments found in a comment record;"
        "\ntitle: equal to the labeled title, case folded, punctuation and spaces squashed;"
        "\nauthor: the set of names equal on pages labeled with authors; no auth: none stored where none is labeled"
    )
    skips = Counter(r[0].skipped.split(":")[0] for r in results if r[0].skipped)
    if skips:
        print("\nnot stored by newsdedup: " + ", ".join(f"{n} {reason}" for reason, n in skips.most_common()))
    print(f"pages losing > 5 points of body recall against trafilatura: {len(losses)}")
    for drop, file, url, why in sorted(losses, reverse=True)[: None if args.show_losses else 15]:
        print(f"  -{drop * 100:4.0f}  {file}  {url[:70]}  {why[:80]}")
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps({"totals": [plain_total.summary(), ours_total.summary()], "pages": details}, indent=1))
    print(f"\nper-page scores: {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
