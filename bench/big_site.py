"""A few hundred articles over three hosts, for the distributed crawl test and bench.

The pages are the syndication corpus (bench/syndication_corpus.py): wire stories and
their edited copies on partner sites, URL variants, quoting blog posts with reader
comments, hard negatives, and its truth.json (article → story). This module only makes
it crawlable over HTTP from three hosts: each site gets an RSS feed (its 20 newest
pages) and a sitemap (all its pages) beside its pages, and the sites are dealt over the
hosts round-robin, so copies of one story sit on different hosts.

    python -m bench.big_site --out bench/out/big-site --stories 60 --seed 11

Serve the folder from one FixtureServer per host (tests/fixture_server.py; 127.0.0.1,
127.0.0.2 and 127.0.0.3 are all loopback on Linux) and write the sources file for the
servers' URLs with ``write_sources``. Deterministic: same seed, same files.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from bench.syndication_corpus import generate

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
FEED_ITEMS = 20


def build(out: Path, stories: int = 60, seed: int = 11) -> dict:
    """Write the site under ``out`` (pages, per-site feed.xml and sitemap.xml, sites.json);
    returns the corpus counts. The truth is out/truth.json (the syndication corpus's)."""
    counts = generate(out, stories, seed)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    pages = [(a["file"], a["published"]) for a in truth["articles"]]
    pages += [(v["file"], None) for v in truth["url_variants"]]
    by_site: dict[str, list[tuple[str, str | None]]] = {}
    for file, published in pages:
        site, _, rest = file.partition("/")
        by_site.setdefault(site, []).append((rest, published))
    sites = sorted(by_site)
    for site in sites:
        write_sitemap(out / site, sorted(rest for rest, _ in by_site[site]))
        dated = sorted(((p, rest) for rest, p in by_site[site] if p), reverse=True)[:FEED_ITEMS]
        write_feed(out / site, site, [(rest, published) for published, rest in dated])
    # Round-robin over the hosts: a story's copies live on different hosts.
    hosting = {site: i % len(HOSTS) for i, site in enumerate(sites)}
    (out / "sites.json").write_text(json.dumps(hosting, indent=1) + "\n", encoding="utf-8")
    return {**counts, "sites": len(sites), "hosts": len(HOSTS)}


def write_sitemap(folder: Path, files: list[str]) -> None:
    # Relative <loc>s, resolved against the sitemap's URL: the folder serves from any host.
    locs = "".join(f"<url><loc>{escape(file)}</loc></url>" for file in files)
    (folder / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>\n',
        encoding="utf-8",
    )


def write_feed(folder: Path, site: str, items: list[tuple[str, str]]) -> None:
    entries = "".join(
        f"<item><title>{escape(file)}</title><link>{escape(file)}</link>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(published))}</pubDate></item>"
        for file, published in items
    )
    (folder / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0"><channel><title>{escape(site)}</title><link>https://{site}/</link>'
        f"{entries}</channel></rss>\n",
        encoding="utf-8",
    )


def hosted_sites(out: Path) -> dict[str, int]:
    """Site folder → index of the host that serves it."""
    return json.loads((out / "sites.json").read_text(encoding="utf-8"))


def write_sources(out: Path, base_urls: list[str], path: Path | None = None) -> Path:
    """The sources file for the site served at ``base_urls`` (one per host, in HOSTS
    order): one source per site, its feed and sitemap on its host."""
    entries = []
    for site, host in sorted(hosted_sites(out).items()):
        base = base_urls[host].rstrip("/")
        entries.append(
            f'[[source]]\nname = "{site}"\nhome = "https://{site}/"\n'
            f'feeds = ["{base}/{site}/feed.xml"]\nsitemaps = ["{base}/{site}/sitemap.xml"]\nlocal = true\n'
        )
    path = path or out / "sources.toml"
    path.write_text("\n".join(entries), encoding="utf-8")
    return path


def gold_stories(out: Path) -> dict[str, str]:
    """Canonical URL → story id, for the stored articles the truth groups into stories
    (originals and their copies; URL variants are the same article as their target)."""
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return {a["url"]: a["story"] for a in truth["articles"] if a["role"] in ("original", "copy")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/big-site"))
    parser.add_argument("--stories", type=int, default=60)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    counts = build(args.out, args.stories, args.seed)
    print(f"{args.out}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


if __name__ == "__main__":
    main()
