"""A labeled syndication corpus for the dedup benchmark: wire stories, their edited copies on
partner sites, the same article under other URLs, blog posts that quote stories, and hard
negatives (same topic, a reused background paragraph, shared legal boilerplate). Same seed
and Faker version, byte-identical files: ``python -m bench.syndication_corpus --stories 120 --seed 7``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

from faker import Faker

from bench.corpus import prepare_out_dir, print_counts
from bench.syndication_sites import BLOGS, DISCLAIMER, FINANCE, NEWS, SITES, WIRES, Page, Site, render, stamp
from bench.syndication_text import Cast, Writer, word_edits

START, SPAN_MINUTES = datetime(2023, 1, 2), 728 * 24 * 60  # base dates spread over two years
COPY_WEIGHTS = (11, 18, 25, 21, 12, 8, 5)  # copies per story, 0..6: mean ≈ 2.5
VARIANTS = {"amp": "amp", "tracking": "utm", "mobile": "m", "index_html": "index"}


@dataclass
class Art:
    site: Site
    story: str
    role: str
    headline: str
    author: str
    published: datetime
    blocks: list[tuple[str, str]]
    cast: Cast
    url: str = ""
    file: str = ""
    canonical_of: str | None = None
    comments: list[tuple[str, datetime, str]] = field(default_factory=list)

    @property
    def words(self) -> int:
        return sum(len(text.split()) for _, text in self.blocks)


class Corpus:
    """Builds every article in memory first (quote posts and follow-ups need their sources'
    final text and URLs), then renders and writes the pages and the truth."""

    def __init__(self, stories: int, seed: int) -> None:
        self.rng = rng = random.Random(seed)
        self.fake = Faker("en_US")
        self.fake.seed_instance(rng.getrandbits(32))
        self.w, self.seed, self.requested = Writer(rng, self.fake), seed, stories
        self.arts: list[Art] = []
        self.truth: dict[str, list] = {"url_variants": [], "quotes": [], "followups": [], "negatives": []}
        self.variant_pages: list[tuple[str, Page, str]] = []
        self.labels = 0
        self.bloggers = {s.domain: [self.fake.name(), self.fake.name()] for s in BLOGS}
        self.files: set[str] = set()
        # Per-site "Most read" pools: text repeated across a site's pages, as real sidebars are.
        filler = self.w.cast()
        self.pools = {s.domain: [(self.w.headline(filler), self._fake_url(s)) for _ in range(12)] for s in SITES}

    def _fake_url(self, site: Site) -> str:
        return f"https://{site.domain}/{self.rng.randint(2021, 2024)}/{self.rng.randint(1, 12):02d}/{self.fake.slug()}/"

    def label(self) -> str:
        self.labels += 1
        return f"s{self.labels:04d}"

    def add(self, art: Art) -> Art:
        slug = "-".join(re.sub(r"[^a-z0-9 ]", "", art.headline.lower()).split()[:8])
        base, n = f"{art.site.domain}/{art.published:%Y/%m}/{slug}", 1
        while f"{base}.html" in self.files:  # rare; keeps files and URLs unique
            n += 1
            base = f"{art.site.domain}/{art.published:%Y/%m}/{slug}-{n}"
        art.file, art.url = f"{base}.html", f"https://{base}/"
        self.files.add(art.file)
        self.arts.append(art)
        return art

    def news_paragraphs(self, c: Cast, site: Site, count: int) -> list[tuple[str, str]]:
        dateline = f"{c.places[0].upper()} ({site.name}) —"
        lede = f"{dateline} {self.w.paragraph(c, hi=90 - len(dateline.split()))}"
        return [("p", lede)] + [("p", self.w.paragraph(c)) for _ in range(count - 1)]

    def story(self) -> None:
        rng, w, c = self.rng, self.w, self.w.cast()
        wire, label = rng.choice(WIRES), self.label()
        when = START + timedelta(minutes=rng.randrange(SPAN_MINUTES))
        blocks = self.news_paragraphs(c, wire, rng.randint(6, 14))
        orig = self.add(Art(wire, label, "original", w.headline(c), self.fake.name(), when, blocks, c))
        copies = rng.choices(range(len(COPY_WEIGHTS)), weights=COPY_WEIGHTS)[0]
        for site in rng.sample(NEWS, copies):
            self.copy(orig, site)

    def copy(self, orig: Art, site: Site) -> None:
        rng, w, c = self.rng, self.w, orig.cast
        when = orig.published + timedelta(minutes=rng.randrange(72 * 60))
        blocks = list(orig.blocks)
        cut = rng.random()
        if cut < 0.15:  # a trimmed copy: only the top survives
            blocks = blocks[: max(3, round(len(blocks) * rng.uniform(0.5, 0.7)))]
        elif cut < 0.55:  # wire copy cut from the bottom
            blocks = blocks[: -rng.randint(1, 3)]
        elif cut < 0.75:
            drop = rng.randint(1, 3)
            at = rng.randint(1, len(blocks) - drop - 1)
            blocks = blocks[:at] + blocks[at + drop :]
        if rng.random() < 0.3:
            local = replace(c, places=[site.city, site.city, c.places[2]])
            blocks.insert(rng.randint(2, len(blocks)), ("p", w.paragraph(local)))
        if rng.random() < 0.5:
            blocks = word_edits(rng, blocks)
        if rng.random() < 0.4:
            full, last, role, org = rng.choice(c.people)
            if rng.random() < 0.5:
                # Names early in the note: a fixed sentence would be a shingle shared by unrelated copies.
                note = rng.choice((f"Editor's note: {full}, {role}, spoke to {site.name} after publication.",
                                   f"Update: {org} answered questions from {site.name} on {when:%A}.",
                                   f"Clarification: {last} leads {org}, not {c.orgs[0]}."))  # fmt: skip
                blocks.insert(0, ("note", note))
            else:
                by, also, editor = (self.fake.name() for _ in range(3))
                line = f"Reporting by {by} in {c.places[0]}; additional reporting by {also}; editing by {editor}"
                blocks.append(("credit", line))
        headline = self.w.headline(c) if rng.random() < 0.6 else orig.headline
        author = rng.choice((orig.author, orig.author, f"{orig.author}, {orig.site.name}", f"{orig.site.name} staff"))
        self.add(Art(site, orig.story, "copy", headline, author, when, blocks, c))

    def same_topic(self, near: Art) -> None:
        # Another outlet's own reporting on the same event: same cast, all-new sentences.
        rng, site = self.rng, self.rng.choice(NEWS + WIRES)
        when = near.published + timedelta(minutes=rng.randint(-3 * 24 * 60, 4 * 24 * 60))
        blocks = self.news_paragraphs(near.cast, site, rng.randint(6, 12))
        art = self.add(
            Art(site, self.label(), "same_topic", self.w.headline(near.cast), self.fake.name(), when, blocks, near.cast)
        )
        self.truth["negatives"].append({"kind": "same_topic", "a": art.url, "b": near.url})

    def followup(self, src: Art) -> None:
        rng, c = self.rng, src.cast
        background = rng.choice(src.blocks[2:])
        site = rng.choice(NEWS + WIRES)
        blocks = self.news_paragraphs(c, site, rng.randint(6, 10))
        blocks.insert(rng.randint(2, len(blocks)), background)
        when = src.published + timedelta(days=rng.randint(2, 45), minutes=rng.randrange(24 * 60))
        art = self.add(Art(site, self.label(), "followup", self.w.headline(c), self.fake.name(), when, blocks, c))
        fraction = round(len(background[1].split()) / src.words, 4)
        self.truth["followups"].append(
            {"post": art.url, "reuses": src.url, "source_story": src.story, "fraction": fraction}
        )

    def boilerplate(self, count: int) -> None:
        # Markets stories on one site that end in the same long legal notice and nothing else in common.
        urls = []
        for _ in range(count):
            c, when = self.w.cast(), START + timedelta(minutes=self.rng.randrange(SPAN_MINUTES))
            blocks = self.news_paragraphs(c, FINANCE, self.rng.randint(6, 8)) + [("disclaimer", t) for t in DISCLAIMER]
            art = Art(
                FINANCE, self.label(), "boilerplate_negative", self.w.headline(c), self.fake.name(), when, blocks, c
            )
            urls.append(self.add(art).url)
        self.truth["negatives"] += [{"kind": "boilerplate", "a": a, "b": b} for a, b in combinations(urls, 2)]

    def quote_post(self, sources: list[Art]) -> None:
        rng, w, blog = self.rng, self.w, self.rng.choice(BLOGS)
        runs, entries = [], []
        for src in sources:
            before = len(runs)
            paras = [text for kind, text in src.blocks if kind == "p"]
            n = len(paras)
            k = max(1, round(n * rng.uniform(0.2, 0.4 if len(sources) > 1 else 0.6)))
            if k >= 2 and k < n and rng.random() < 0.4:  # two runs with a gap between them
                gap, k1 = rng.randint(1, n - k), rng.randint(1, k - 1)
                start = rng.randint(0, n - k - gap)
                runs += [paras[start : start + k1], paras[start + k1 + gap : start + k + gap]]
            else:
                start = rng.randint(0, n - k)
                runs.append(paras[start : start + k])
            quoted = sum(len(text.split()) for run in runs[before:] for text in run)
            entries.append({"source": src.url, "source_story": src.story, "fraction": round(quoted / src.words, 4)})
        kind = "quote" if rng.random() < 0.7 else "p"
        own = [w.paragraph(sources[0].cast, "blog") for _ in range(max(rng.randint(2, 5), len(runs) + 1))]
        blocks = [("p", own.pop(0))]
        for i, run in enumerate(runs):
            if i and len(own) > 1:
                blocks.append(("p", own.pop(0)))
            blocks += [(kind, text) for text in run]
        blocks += [("p", text) for text in own]
        when = max(s.published for s in sources) + timedelta(minutes=rng.randrange(5 * 24 * 60))
        headline = w.sentence(sources[0].cast, "post_title")
        author = rng.choice(self.bloggers[blog.domain])
        art = self.add(Art(blog, self.label(), "quote_post", headline, author, when, blocks, sources[0].cast))
        for _ in range(rng.randint(1, 4)):
            said = " ".join(w.sentence(sources[0].cast, "comment") for _ in range(rng.randint(1, 3)))
            art.comments.append((self.fake.user_name(), when + timedelta(minutes=rng.randint(20, 3 * 24 * 60)), said))
        mode = "blockquote" if kind == "quote" else "plain"
        self.truth["quotes"] += [{"post": art.url, **e, "mode": mode} for e in entries]

    def page(self, art: Art, url: str = "", canonical: str = "") -> Page:
        links = self.rng.sample(self.pools[art.site.domain], 5)
        url = url or art.url
        return Page(art.site, art.headline, art.author, art.published, url, canonical or art.canonical_of or url, url,
                    art.blocks, links, art.comments)  # fmt: skip

    def variants(self) -> None:
        # A fixed 8% rather than a coin per article keeps the count steady across seeds.
        eligible = [a for a in self.arts if not a.canonical_of]
        chosen = sorted(self.rng.sample(range(len(eligible)), round(0.08 * len(self.arts))))
        for art in (eligible[i] for i in chosen):
            kind = self.rng.choice(sorted(VARIANTS))
            url = {
                "amp": art.url + "amp/",
                "tracking": art.url + "?utm_source=twitter&utm_medium=social",
                "mobile": art.url.replace("https://", "https://m.", 1),
                "index_html": art.url + "index.html",
            }[kind]
            # An AMP page names the normal page as canonical; the others declare the URL they were reached by.
            page = self.page(art, url, art.url if kind == "amp" else url)
            file = art.file.removesuffix(".html") + f".{VARIANTS[kind]}.html"
            self.variant_pages.append((file, page, kind if kind in ("amp", "mobile") else ""))
            self.truth["url_variants"].append(
                {"file": file, "url": url, "same_as": art.url, "story": art.story, "kind": kind}
            )

    def build(self) -> None:
        n = self.requested
        for _ in range(n):
            self.story()
        originals = [a for a in self.arts if a.role == "original"]
        # Syndication partners often point rel=canonical at the wire's page: 10% of the copies do.
        copies, wire_url = [a for a in self.arts if a.role == "copy"], {a.story: a.url for a in originals}
        for i in sorted(self.rng.sample(range(len(copies)), round(0.1 * len(copies)))):
            copies[i].canonical_of = wire_url[copies[i].story]
        for _ in range(round(n / 3)):
            self.same_topic(self.rng.choice(originals))
        long_ones = [a for a in originals if len(a.blocks) >= 8]
        for src in self.rng.sample(long_ones, min(len(long_ones), round(n / 4))):
            self.followup(src)
        self.boilerplate(max(2, round(n / 30)))
        stored = [a for a in self.arts if a.role in ("original", "copy")]
        posts = round(n / 2)
        doubles = set(self.rng.sample(range(posts), round(posts / 6)))
        for i in range(posts):
            first = self.rng.choice(stored)
            others = [a for a in stored if a.story != first.story]
            self.quote_post([first, self.rng.choice(others)] if i in doubles and others else [first])
        self.variants()

    def write(self, out: Path) -> dict:
        for art in self.arts:
            path = out / art.file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(self.page(art)), encoding="utf-8", newline="\n")
        for file, page, variant in self.variant_pages:
            (out / file).write_text(render(page, variant), encoding="utf-8", newline="\n")
        articles = [
            {"file": a.file, "url": a.url, "story": a.story, "role": a.role, "published": stamp(a.published),
             "declares_canonical_of": a.canonical_of, "words": a.words}
            for a in self.arts
        ]  # fmt: skip
        truth = {"seed": self.seed, "stories_requested": self.requested, "articles": articles, **self.truth}
        (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        roles = [a.role for a in self.arts]
        return {
            "pages": len(self.arts) + len(self.variant_pages),
            "stories": len({a.story for a in self.arts}),
            "copies": roles.count("copy"),
            "url_variants": len(self.variant_pages),
            "quote_posts": roles.count("quote_post"),
            "negatives": sum(roles.count(r) for r in ("same_topic", "followup", "boilerplate_negative")),
            "words": sum(a.words for a in self.arts),
        }


def generate(out_dir: Path, stories: int = 120, seed: int = 7) -> dict:
    """Write the corpus and its ``truth.json`` under ``out_dir``; returns the counts."""
    prepare_out_dir(out_dir, stories)
    (corpus := Corpus(stories, seed)).build()
    return corpus.write(out_dir)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/syndication"))
    parser.add_argument("--stories", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print_counts(args.out, generate(args.out, args.stories, args.seed), started)


if __name__ == "__main__":
    main()
