"""The three-host site for the distributed crawl (bench/big_site.py): deterministic, every
page reachable from its site's sitemap, copies of one story on different hosts."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from urllib.parse import urlsplit

from bench.big_site import HOSTS, build, gold_stories, hosted_sites, write_sources
from crawler.sources import load_sources


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_big_site_is_deterministic_crawlable_and_spread_over_hosts(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    counts = build(first, stories=8, seed=3)
    build(second, stories=8, seed=3)
    assert digest(first) == digest(second)
    assert counts["hosts"] == len(HOSTS)

    truth = json.loads((first / "truth.json").read_text(encoding="utf-8"))
    files = [a["file"] for a in truth["articles"]] + [v["file"] for v in truth["url_variants"]]
    for file in files:
        site, _, rest = file.partition("/")
        assert f"<loc>{rest}</loc>" in (first / site / "sitemap.xml").read_text(encoding="utf-8"), file

    hosting = hosted_sites(first)
    assert set(hosting.values()) == set(range(len(HOSTS)))
    gold = gold_stories(first)
    hosts_of: dict[str, set[int]] = {}
    for url, story in gold.items():
        hosts_of.setdefault(story, set()).add(hosting[urlsplit(url).hostname or ""])
    assert any(len(hosts) > 1 for hosts in hosts_of.values())

    bases = [f"http://{host}:{8000 + i}/" for i, host in enumerate(HOSTS)]
    sources = load_sources(write_sources(first, bases))
    assert {s.name for s in sources} == set(hosting)
    for source in sources:
        host = bases[hosting[source.name]]
        assert all(url.startswith(host + source.name + "/") for url in source.entry_urls)
