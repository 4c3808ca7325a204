"""A crawlable corpus made of copies of the fixture articles (one site, one sitemap).

Each copy gets its own canonical URL so every page is a new article to the pipeline.
"""

from __future__ import annotations

import json
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
