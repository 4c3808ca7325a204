"""The throughput corpus: N saved pages (10,000 by default), deterministic from a seed.

    python -m bench.throughput_corpus --pages 10000 --out bench/out/throughput

Mostly the labeled syndication corpus (bench/syndication_corpus.py: 17 site templates,
wire originals with syndicated copies, blog posts quoting them with reader comments,
URL variants), scaled to N pages, plus 3% junk the importer must skip with a reason:
empty and blank files, binary data named .html, listing pages, pages with almost no
text, a legacy-encoded page without a charset, and one page over EXTRACT_MAX_BYTES.

Article pages carry their site's chrome (bench/page_weight.py: scripts, styles, menus,
widgets; 40–150 KB a page, as saved news pages weigh); ``--lean`` leaves the 7 KB
templates bare.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from bench.page_weight import weigh
from bench.syndication_corpus import generate

# Pages per requested story in the syndication corpus at its default mix.
PAGES_PER_STORY = 4.9
JUNK_SHARE = 0.03


def build(out: Path, pages: int = 10_000, seed: int = 5, lean: bool = False) -> dict:
    started = time.perf_counter()
    articles = out / "pages"
    generate(articles, stories=max(1, round(pages * (1 - JUNK_SHARE) / PAGES_PER_STORY)), seed=seed)
    if not lean:
        for site in sorted(p for p in articles.iterdir() if p.is_dir()):
            for page in site.rglob("*.html"):
                page.write_text(weigh(page.read_text(encoding="utf-8"), site.name), encoding="utf-8")
    junk = articles / "junk"
    junk.mkdir()
    rng = random.Random(seed)
    n_junk = max(6, round(pages * JUNK_SHARE))
    kinds = [_empty, _blank, _binary, _listing, _stub, _legacy]
    for n in range(n_junk):
        kind = kinds[n % len(kinds)]
        (junk / f"{kind.__name__.strip('_')}-{n:05d}.html").write_bytes(kind(rng, n))
    (junk / "huge.html").write_bytes(_huge(rng))
    total = sum(1 for _ in articles.rglob("*.html"))
    size = sum(p.stat().st_size for p in articles.rglob("*.html"))
    summary = {
        "pages": total,
        "junk": n_junk + 1,
        "seed": seed,
        "lean": lean,
        "mean_kb": round(size / total / 1024, 1),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "corpus.json").write_text(json.dumps(summary))
    return summary


def _empty(rng: random.Random, n: int) -> bytes:
    return b""


def _blank(rng: random.Random, n: int) -> bytes:
    return b"\n \n\t\n"


def _binary(rng: random.Random, n: int) -> bytes:
    return bytes(rng.randrange(256) for _ in range(4096))


def _listing(rng: random.Random, n: int) -> bytes:
    items = "".join(
        f'<article class="post"><h2><a href="/2024/{n}/{i}/">Headline {n}-{i}</a></h2><p>Teaser text.</p></article>'
        for i in range(6)
    )
    return f"<html><head><title>Archive page {n}</title></head><body>{items}</body></html>".encode()


def _stub(rng: random.Random, n: int) -> bytes:
    return f"<html><head><title>Moved {n}</title></head><body><p>This page has moved.</p></body></html>".encode()


def _legacy(rng: random.Random, n: int) -> bytes:
    text = " ".join(["Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00e0 la fa\u00e7ade"] * 40)
    body = (
        f"<html><head><title>Legacy {n}</title></head><body><article><p>{text}</p><p>{text}</p></article></body></html>"
    )
    return body.encode("latin-1")


def _huge(rng: random.Random) -> bytes:
    paragraph = "<p>" + "lorem ipsum dolor sit amet " * 40 + "</p>"
    return ("<html><head><title>Huge</title></head><body>" + paragraph * 6000 + "</body></html>").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--lean", action="store_true", help="Leave the templates without site chrome (~7 KB pages).")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("out") / "throughput")
    args = parser.parse_args()
    print(build(args.out, args.pages, args.seed, args.lean))


if __name__ == "__main__":
    main()
