"""Dedup signatures per second: newsdedup's make_signature against plain datasketch.

    python -m bench.signature_rate --pages 2000

Texts are the throughput corpus's articles (bench/throughput_corpus.py, lean templates),
extracted once with trafilatura (not timed). Then, over the same texts, in one process:

- plain datasketch, as its docs show it: a MinHash (128 permutations) updated with each
  word 5-shingle's UTF-8 bytes (SHA-1 hashing inside);
- ``make_signature``: normalised text, crc32 shingle hashes (numpy), MinHash from shared
  permutations, 32 LSH band keys and the winnowed passage fingerprints.

Writes bench/out/signature_rate.json.
"""

from __future__ import annotations

import argparse
import json
import time

import trafilatura
from datasketch import MinHash
from rich.console import Console
from rich.table import Table

from bench.import_throughput import OUT
from bench.throughput_corpus import build
from pipelines.dedup import DedupConfig, make_signature


def plain_datasketch(text: str) -> MinHash:
    words = text.split()
    minhash = MinHash(num_perm=128, seed=1)
    minhash.update_batch([" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))])
    return minhash


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    corpus = OUT / f"throughput-{args.pages}-5-lean"
    if not (corpus / "corpus.json").exists():
        build(corpus, args.pages, 5, lean=True)
    texts = [t for p in sorted((corpus / "pages").rglob("*.html")) if (t := trafilatura.extract(p.read_bytes()))]
    config = DedupConfig()
    table = Table("run", "signatures/s", "ms/signature", title=f"{len(texts)} article texts")
    results = {}
    for name, sign in (
        ("datasketch MinHash, 5-word shingles", plain_datasketch),
        ("newsdedup make_signature", lambda text: make_signature(text, config)),
    ):
        sign(texts[0])  # warm caches (permutations) outside the timing
        started = time.perf_counter()
        for text in texts:
            sign(text)
        seconds = time.perf_counter() - started
        rate, ms = len(texts) / seconds, 1000 * seconds / len(texts)
        results[name] = {"signatures_per_s": round(rate, 1), "ms": round(ms, 3)}
        table.add_row(name, f"{rate:.0f}", f"{ms:.3f}")
    Console().print(table)
    (OUT / "signature_rate.json").write_text(json.dumps({"texts": len(texts), "runs": results}, indent=2))


if __name__ == "__main__":
    main()
