"""CPU per page of newsdedup's ``analyze_page`` against trafilatura alone, on real pages.

    .venv/bin/python -m bench.analyze_cost [--limit N] [--rounds 2] [--warm-up N] [--profile 30] [--no-memory]
        [--no-settle]

Loads the real pages of ../shared/realworld/trafilatura-eval/ (as bench/realworld.py
does), warms every system up over every page once (``--warm-up``), settles the warm
process's objects as an analyze worker does after its first pages
(``pipelines.pool.settle_long_lived``; ``--no-settle`` leaves them), then times each page
with ``time.process_time`` for ``trafilatura.bare_extraction(with_metadata=True)``,
``trafilatura.extract()`` and ``analyze_page`` with the project's settings, interleaved
page by page (their order rotating), so the ratio holds on a machine other work shares.
``analyze_page``'s stages are timed by wrapping the functions it calls (the stage table's "rest" is what
none of them covers). ``--profile`` adds a cProfile of ``analyze_page`` over the same
pages; the memory pass runs each system alone in a fresh process and reports its peak
RSS. Writes bench/out/analyze_cost.json.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import json
import multiprocessing
import pstats
import resource
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from bench.realworld import EVAL, ROOT, _project_config
from pipelines.pool import settle_long_lived

OUT = ROOT / "bench" / "out" / "analyze_cost.json"
# One untimed pass over every page first. What a process pays once is its start-up, not
# a page's: dateparser compiles a locale's patterns the first time htmldate's extensive
# search reads a date in it (~1.5 s a process on these pages, which a 30-page warm-up
# left in the timed loop, ~1.7 ms a page on both sides). bench/import_throughput.py's
# whole runs count it.
WARM_UP_PAGES = 0

# analyze_page's stages: (stage, module, function) of the calls made from analyze_page and
# extract_article themselves, none inside another, so their times add up.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("parse", "pipelines.analysis", "read_page"),
    ("comments: find", "pipelines.analysis", "find_comments"),
    ("comments: forum post", "pipelines.analysis", "topic_post"),
    ("comments: records", "pipelines.analysis", "_all_comments"),
    ("comments: off the body", "pipelines.analysis", "without_comment_lines"),
    ("trafilatura", "pipelines.extract", "trafilatura.bare_extraction"),
    ("page kind", "pipelines.extract", "declared_types"),
    ("page kind", "pipelines.extract", "not_article_reason"),
    ("json-ld, site name", "pipelines.extract", "json_ld_nodes"),
    ("json-ld, site name", "pipelines.extract", "site_names"),
    ("titles", "pipelines.extract", "page_title"),
    ("titles", "pipelines.extract", "html_title"),
    ("authors", "pipelines.extract", "article_authors"),
    ("language", "pipelines.extract", "detect_language"),
    ("published date", "pipelines.extract", "published_time"),
    ("link and credit lines", "pipelines.analysis", "without_link_lines"),
    ("link and credit lines", "pipelines.analysis", "is_credit_line"),
    ("signature", "pipelines.analysis", "make_signature"),
)


class StageClock:
    """CPU seconds per stage, summed over the calls of the functions STAGES wraps."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.installed: list[str] = []

    def install(self) -> None:
        for stage, module_name, path in STAGES:
            owner: Any = importlib.import_module(module_name)
            name = path
            if "." in path:
                # A library module the code calls through (trafilatura.bare_extraction): a
                # copy of it for that module alone, so the reference rows stay unwrapped.
                library, name = path.split(".")
                copy = SimpleNamespace(**vars(getattr(owner, library)))
                setattr(owner, library, copy)
                owner = copy
            if hasattr(owner, name):  # a stage the code no longer has is left out
                setattr(owner, name, self._timed(stage, getattr(owner, name)))
                self.installed.append(stage)

    def _timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[stage] += time.process_time() - start

        return timed


def page_files(eval_dir: Path, limit: int) -> list[tuple[str, Path]]:
    """(url, file) of the set's pages, in evaldata.json's order."""
    truth = json.loads((eval_dir / "evaldata.json").read_text(encoding="utf-8"))
    files = [(url, path) for url, item in truth.items() if (path := eval_dir / "pages" / item["file"]).is_file()]
    return files[:limit] if limit else files


def real_pages(eval_dir: Path, limit: int) -> list[tuple[str, bytes]]:
    """(url, bytes) of the set's pages, in memory so the timed loop reads no file."""
    return [(url, path.read_bytes()) for url, path in page_files(eval_dir, limit)]


def _bare(html: bytes, url: str) -> object:
    import trafilatura

    return trafilatura.bare_extraction(html, url=url, with_metadata=True)


def _extract(html: bytes, url: str) -> object:
    import trafilatura

    return trafilatura.extract(html, url=url)


def _analyze(html: bytes, url: str) -> object:
    from pipelines.analysis import analyze_page
    from pipelines.errors import RejectedPage
    from pipelines.page import ExtractRules, FetchedPage

    try:
        return analyze_page(FetchedPage(url, html, None, datetime.now(UTC)), ExtractRules(), _project_config())
    except RejectedPage:
        return None  # the import pays for a rejected page too


SYSTEMS: dict[str, Callable[[bytes, str], object]] = {
    "trafilatura.bare_extraction(with_metadata=True)": _bare,
    "trafilatura.extract()": _extract,
    "newsdedup analyze_page (project settings)": _analyze,
}
ANALYZE = "newsdedup analyze_page (project settings)"
BARE = "trafilatura.bare_extraction(with_metadata=True)"


def time_systems(
    pages: list[tuple[str, bytes]],
    rounds: int,
    clock: StageClock,
    warm_up: int = WARM_UP_PAGES,
    settle: bool = True,
) -> dict[str, float]:
    """CPU seconds each system spent over all pages and rounds, interleaved page by page,
    after ``warm_up`` untimed pages (0: all). ``settle``: then leave the warm process's
    objects out of garbage collection, as an analyze worker does once warm (all three
    systems share the process, so they all gain)."""
    systems = list(SYSTEMS.items())
    for url, html in pages[: warm_up or None]:
        for _, run in systems:
            run(html, url)
    if settle:
        settle_long_lived()
    clock.seconds.clear()
    spent: dict[str, float] = dict.fromkeys(SYSTEMS, 0.0)
    for round_ in range(rounds):
        for n, (url, html) in enumerate(pages):
            turn = (n + round_) % len(systems)
            for name, run in systems[turn:] + systems[:turn]:
                start = time.process_time()
                run(html, url)
                spent[name] += time.process_time() - start
    return spent


def profile(pages: list[tuple[str, bytes]], top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for url, html in pages:
        _analyze(html, url)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: a spawned child's
    ru_maxrss starts at its parent's (rusage survives exec), its VmHWM at zero."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss(system: str, eval_dir: str, limit: int) -> tuple[float, float]:
    """MB resident after imports and one page, and at the end of all pages (one fresh
    process reading one file at a time)."""
    files = page_files(Path(eval_dir), limit)
    run = SYSTEMS[system]
    run(files[0][1].read_bytes(), files[0][0])
    started = _peak_mb()
    for url, path in files:
        run(path.read_bytes(), url)
    return started, _peak_mb()


def memory(eval_dir: Path, limit: int) -> dict[str, tuple[float, float]]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=context, max_tasks_per_child=1) as pool:
        futures = {name: pool.submit(peak_rss, name, str(eval_dir), limit) for name in SYSTEMS}
        return {name: future.result() for name, future in futures.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval", type=Path, default=EVAL, help="the trafilatura-eval folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages (0: all)")
    parser.add_argument("--rounds", type=int, default=1, help="timed passes over the pages (default 1)")
    parser.add_argument("--warm-up", type=int, default=WARM_UP_PAGES, help="untimed pages first (0: all)")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="cProfile analyze_page, top N")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory pass")
    parser.add_argument(
        "--no-settle", action="store_true", help="time without gc.freeze after the warm-up (a worker settles)"
    )
    args = parser.parse_args()

    pages = real_pages(args.eval, args.limit)
    clock = StageClock()
    clock.install()
    spent = time_systems(pages, args.rounds, clock, args.warm_up, settle=not args.no_settle)
    per_page = len(pages) * args.rounds
    ms = {name: seconds * 1000 / per_page for name, seconds in spent.items()}
    stages = {stage: seconds * 1000 / per_page for stage, seconds in clock.seconds.items()}
    stages["rest (analyze_page minus the stages)"] = ms[ANALYZE] - sum(stages.values())

    warmed = f"{args.warm_up} pages" if args.warm_up else "every page"
    settled = "" if args.no_settle else ", then settled as a warm worker"
    print(f"{len(pages)} real pages, {args.rounds} round(s) after a warm-up over {warmed}{settled}, CPU per page\n")
    print("| | ms CPU / page | × bare_extraction |\n| --- | ---: | ---: |")
    for name, value in ms.items():
        print(f"| {name} | {value:.1f} | {value / ms[BARE]:.2f} |")
    print("\n| analyze_page stage | ms CPU / page |\n| --- | ---: |")
    for stage, value in sorted(stages.items(), key=lambda pair: -pair[1]):
        print(f"| {stage} | {value:.2f} |")
    result: dict[str, Any] = {
        "pages": len(pages),
        "rounds": args.rounds,
        "settled": not args.no_settle,
        "ms_per_page": ms,
        "stages": stages,
    }
    if not args.no_memory:
        peaks = memory(args.eval, args.limit)
        print("\n| peak RSS, one process over all pages | after one page MB | at the end MB |\n| --- | ---: | ---: |")
        for name, (started, peak) in peaks.items():
            print(f"| {name} | {started:.0f} | {peak:.0f} |")
        result["peak_rss_mb"] = peaks
    if args.profile:
        print("\n" + profile(pages, args.profile))
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
