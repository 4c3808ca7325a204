"""Corpus helpers: a crawlable corpus of fixture-article copies (one site, one sitemap; each
copy has its own canonical URL, so every page is a new article), and the output folder and
summary line the generated corpora share."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_articles() -> list[Path]:
    truth = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))
    return [FIXTURES / article["path"] for article in truth["articles"]]


def build_corpus(dest: Path, pages: int) -> Path:
    """Write ``pages`` article pages, a sitemap and a sources file under ``dest``."""
    site = dest / "site"
    site.mkdir(parents=True, exist_ok=True)
    originals = [path.read_bytes() for path in fixture_articles()]
    locs = []
    for n in range(pages):
        body = originals[n % len(originals)]
        # A unique canonical URL per copy; pages without one are unique by path already.
        body = body.replace(b'rel="canonical" href="', f'rel="canonical" href="https://copy{n}.example/'.encode())
        name = f"article-{n:05d}.html"
        (site / name).write_bytes(body)
        locs.append(f"<url><loc>{name}</loc></url>")
    (site / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(locs)
        + "</urlset>\n",
        encoding="utf-8",
    )
    sources = dest / "sources.toml"
    sources.write_text(
        '[[source]]\nname = "bench"\nhome = "https://bench.example/"\nsitemaps = ["site/sitemap.xml"]\nlocal = true\n',
        encoding="utf-8",
    )
    return sources


def prepare_out_dir(out_dir: Path, stories: int) -> None:
    """An empty ``out_dir``: a previous corpus (recognised by its truth.json) is replaced;
    any other non-empty folder is refused rather than mixed with pages the truth would not list."""
    if stories < 1:
        raise ValueError(f"stories must be at least 1, not {stories}")
    out_dir = Path(out_dir)
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / "truth.json").is_file():
            raise FileExistsError(f"{out_dir} is not empty and holds no truth.json: refusing to overwrite it")
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)


def print_counts(out_dir: Path, counts: dict, started: float) -> None:
    """One line: what a corpus generator wrote, and how long it took."""
    what = ", ".join(f"{value} {name.replace('_', ' ')}" for name, value in counts.items())
    print(f"{out_dir}: {what} in {time.perf_counter() - started:.1f}s")
