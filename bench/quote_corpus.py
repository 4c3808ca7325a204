"""A labeled corpus for quote links and their direction, over eight sites with dated URLs.

Wire and news stories with their near-copies; blog posts quoting 30–50% of one article
with their own commentary, published the same day a few hours after it (both URLs carry
the day: /2024/05/14/…); short items; and hard negatives: one membership block appended
to about 8% of unrelated articles on several sites, a third of them short items whose
text is ~40% that block. Pages state their time as article:published_time, JSON-LD or
microdata or <time datetime>, in their site's UTC offset (``url_only``: a share of pages
that give only their URL's date).

    .venv/bin/python -m bench.quote_corpus --out bench/out/quotes --stories 100 --seed 11
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import datetime, timedelta
from pathlib import Path

from bench.corpus import prepare_out_dir, print_counts
from bench.syndication_corpus import Art, Corpus
from bench.syndication_sites import BLOGS, NEWS, WIRES, Page, Site

# Blogs whose domains sort before the wires': imported first, they must still be the quoters.
QUOTE_SITES = (BLOGS[4], BLOGS[2])  # grumpyeditor, localmatters
NEWS_SITES = WIRES[:2] + NEWS[:4]
OFFSETS = {
    site.domain: offset for site, offset in zip(NEWS_SITES + QUOTE_SITES, (0, -5, -4, 1, 2, -7, 10, -8), strict=True)
}
MARKUPS, MARKUP_WEIGHTS = ("meta", "json-ld", "microdata", "time"), (5, 2, 1, 2)
BLOCK = (
    "Support independent local journalism. Become a member today and get unlimited access to every story, "
    "our weekly newsletter with the best reporting from across the region, invitations to member events and "
    "an ad-free reading experience. Memberships start at five dollars a month and can be cancelled at any time. "
    "Already a member? Sign in to manage your subscription, update your newsletter preferences or give a gift "
    "membership to a friend or family member who cares about the news."
)
START, SPAN_DAYS = datetime(2024, 3, 1), 90


class QuoteCorpus(Corpus):
    """The syndication corpus' writer and copy desk, with dated URLs, same-day quotes and a shared block."""

    def __init__(self, stories: int, seed: int, url_only: float = 0.0) -> None:
        super().__init__(stories, seed)
        self.url_only = url_only
        self.truth["block_holders"] = []
        self.dates: dict[str, tuple[str, int]] = {}

    def add(self, art: Art) -> Art:
        offset = OFFSETS[art.site.domain]
        local = art.published + timedelta(hours=offset)  # sites date their URLs in their own zone
        slug = "-".join(re.sub(r"[^a-z0-9 ]", "", art.headline.lower()).split()[:8])
        base, n = f"{art.site.domain}/{local:%Y/%m/%d}/{slug}", 1
        while f"{base}.html" in self.files:
            n += 1
            base = f"{art.site.domain}/{local:%Y/%m/%d}/{slug}-{n}"
        art.file, art.url = f"{base}.html", f"https://{base}/"
        self.files.add(art.file)
        self.arts.append(art)
        markup = self.rng.choices(MARKUPS, MARKUP_WEIGHTS)[0]
        self.dates[art.file] = ("none" if self.rng.random() < self.url_only else markup, offset)
        return art

    def page(self, art: Art, url: str = "", canonical: str = "") -> Page:
        page = super().page(art, url, canonical)
        page.date_markup, page.utc_offset = self.dates[art.file]
        return page

    def original(self) -> Art:
        rng, w, c = self.rng, self.w, self.w.cast()
        site = rng.choice(NEWS_SITES)
        when = START + timedelta(minutes=rng.randrange(SPAN_DAYS * 24 * 60))
        blocks = self.news_paragraphs(c, site, rng.randint(5, 12))
        orig = self.add(Art(site, self.label(), "original", w.headline(c), self.fake.name(), when, blocks, c))
        for other in rng.sample([s for s in NEWS_SITES if s != site], rng.choice((0, 1, 1, 2, 2, 3, 4))):
            self.copy(orig, other)
        return orig

    def short_item(self) -> Art:
        """A brief of ~120 words that ends in the membership block (the block is ~40% of it)."""
        rng, c = self.rng, self.w.cast()
        site = rng.choice(NEWS_SITES)
        when = START + timedelta(minutes=rng.randrange(SPAN_DAYS * 24 * 60))
        blocks = [("p", self.w.paragraph(c, lo=50, hi=65)) for _ in range(2)] + [("membership", BLOCK)]
        art = Art(site, self.label(), "short_block", self.w.headline(c), self.fake.name(), when, blocks, c)
        self.truth["block_holders"].append(self.add(art).url)
        return art

    def quote_post(self, src: Art, site: Site) -> None:  # type: ignore[override]
        """A post quoting one contiguous 30–50% of ``src`` between its own paragraphs, hours later."""
        rng, w = self.rng, self.w
        paras = [text for kind, text in src.blocks if kind == "p"]
        run = self._quoted_run(paras, src.words)
        kind = "quote" if rng.random() < 0.7 else "p"
        own = [w.paragraph(src.cast, "blog") for _ in range(rng.randint(2, 4))]
        at = rng.randint(1, len(own))
        blocks = [("p", t) for t in own[:at]] + [(kind, t) for t in run] + [("p", t) for t in own[at:]]
        when = src.published + timedelta(minutes=rng.randint(60, 8 * 60))
        headline = w.sentence(src.cast, "post_title")
        art = self.add(Art(site, self.label(), "quote_post", headline, self.fake.name(), when, blocks, src.cast))
        fraction = round(sum(len(t.split()) for t in run) / src.words, 4)
        entry = {"post": art.url, "source": src.url, "source_story": src.story, "fraction": fraction}
        self.truth["quotes"].append(entry)

    def _quoted_run(self, paras: list[str], words: int) -> list[str]:
        """Consecutive paragraphs making 30–50% of the article's words (the closest run if none does)."""
        runs = []
        for start in range(len(paras)):
            for end in range(start + 1, len(paras) + 1):
                share = sum(len(t.split()) for t in paras[start:end]) / words
                runs.append((abs(share - 0.4) if not 0.3 <= share <= 0.5 else 0.0, start, end))
        best = min(score for score, _, _ in runs)
        _, start, end = self.rng.choice([r for r in runs if r[0] == best])
        return paras[start:end]

    def build(self) -> None:
        n = self.requested
        originals = [self.original() for _ in range(n)]
        shorts = [self.short_item() for _ in range(max(2, round(n / 10)))]
        stored = [a for a in self.arts if a.role in ("original", "copy")]
        for src in self.rng.sample(stored, round(n / 2)):
            self.quote_post(src, self.rng.choice([s for s in QUOTE_SITES + NEWS_SITES[4:] if s != src.site]))
        # The block goes on unrelated articles only: one per story, none quoted or quoting.
        quoted = {q["source_story"] for q in self.truth["quotes"]}
        free = [a for a in originals if a.story not in quoted] + [a for a in self.arts if a.role == "quote_post"]
        extra = max(0, round(0.08 * len(self.arts)) - len(shorts))
        for art in self.rng.sample(free, min(extra, len(free))):
            art.blocks = [*art.blocks, ("membership", BLOCK)]
            self.truth["block_holders"].append(art.url)


def generate(out_dir: Path, stories: int = 100, seed: int = 11, url_only: float = 0.0) -> dict:
    """Write the corpus and its truth.json under ``out_dir`` (replacing a previous one).

    ``url_only``: the share of pages that state no time at all, only their URL's date.
    """
    prepare_out_dir(out_dir, stories)
    corpus = QuoteCorpus(stories, seed, url_only)
    corpus.build()
    return corpus.write(Path(out_dir))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/quotes"))
    parser.add_argument("--stories", type=int, default=100)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--url-only", type=float, default=0.0, help="share of pages dated by their URL only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    print_counts(args.out, generate(args.out, args.stories, args.seed, args.url_only), started)


if __name__ == "__main__":
    main()
