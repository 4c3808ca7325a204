"""StoryLinker: puts a stored article into its story and records the posts it quotes.

Candidates come from the persistent index (storage.dedup); each is confirmed on the
exact shingle sets before it is linked, as datasketch's docs and text-dedup's
false-positive check advise: an LSH hit is only a candidate.
"""

from __future__ import annotations

from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
from sqlalchemy.orm import Session

from pipelines.dedup import boilerplate, direction
from pipelines.dedup.config import DedupConfig
from pipelines.dedup.passages import opening_shingles, opens_within, shared_runs, without
from pipelines.dedup.signature import Overlap, Signature, overlap, shingle_set
from pipelines.dedup.text import shingle_hashes
from storage import clusters, dedup, key_locks
from storage import links as story_links
from storage.models import Article

# Copy links made into one story per new article, and candidates of one story tried.
LINKS_PER_STORY = 3
TRIES_PER_STORY = 10


@dataclass(slots=True)
class LinkReport:
    """What linking one article found (counted in the crawl stats)."""

    story_id: int | None = None
    copies: dict[str, int] = field(default_factory=dict)  # method → links
    linked_stories: set[int] = field(default_factory=set)
    quotes: int = 0
    rejected: int = 0

    @property
    def is_copy(self) -> bool:
        return bool(self.copies)


class StoryLinker:
    def __init__(self, config: DedupConfig, cache_size: int = 5000) -> None:
        self.config = config
        self.window = timedelta(days=config.window_days) if config.window_days is not None else None
        # Shingle sets of recently linked articles, by (id, content hash): copies of a
        # story arrive close together, so their candidates are mostly recent articles
        # and need not be re-shingled from their text (about 10 MB at 5,000 entries).
        self._recent: OrderedDict[tuple[int, str], np.ndarray] = OrderedDict()
        self._cache_size = cache_size

    def link(self, session: Session, article: Article, signature: Signature, *, new: bool = False) -> LinkReport:
        """Index the article and link it (``new``: just inserted, so nothing is stored yet).

        An article whose stored signature is the same (a re-crawl, a re-import) costs one
        primary-key lookup; one whose text changed is unlinked and linked afresh.
        """
        minhash = signature.minhash_bytes()
        # What it is linked by (storage/key_locks.py): its passages, and the identity and
        # bands of an earlier article cleaned again (those of the article being stored were
        # taken with its write).
        key_locks.hold(
            session,
            key_locks.identity_keys(article.url_key, article.declared_url_key, article.content_hash)
            | key_locks.index_keys(signature.band_keys, signature.passage_keys),
        )
        stored = None if new else dedup.stored_signature(session, article.id)
        if stored is not None and stored == (minhash, self.config.params):
            return LinkReport(story_id=article.story_id)
        former: set[int] = set()
        if stored is not None:
            # Its story held, the links to it are settled (a writer linking to it holds its
            # story); its partners' stories held, writers reading their links wait for these.
            clusters.story_ids(session, [article.id])
            former = story_links.remove_links(session, article.id)
            clusters.story_ids(session, former)
            dedup.drop_signature(session, article.id)
        dedup.save_signature(
            session,
            article.id,
            minhash=minhash,
            params=self.config.params,
            shingle_count=len(signature.shingles),
            band_keys=signature.band_keys,
            passage_keys=signature.passage_keys,
        )
        report = LinkReport()
        self._remember((article.id, article.content_hash), signature.shingles)
        common, newly_common = boilerplate.common_passages(session, self.config, signature.passage_keys)
        quotes = self._link_copies(session, article, signature, common, report)
        stories_changed = bool(report.copies or former)
        joined = (
            not former
            and len(report.linked_stories) == 1
            and clusters.join_story(session, article, next(iter(report.linked_stories)), signature.minhash)
        )
        if stories_changed and not joined:
            clusters.recluster(session, [article.id, *former])
            session.refresh(article, ["story_id", "story_similarity"])
        elif not joined and article.story_id != article.id:  # it left its story and joined none
            clusters.recluster(session, [article.id])
        report.story_id = article.story_id
        if quotes:
            self._link_quotes(session, article, quotes, report)
        if newly_common:
            report.quotes -= boilerplate.drop_boilerplate_quotes(session, self.config, common, newly_common)
        if quotes or (stories_changed and not joined):
            # Most articles are alone, or join one story, and quote nothing: no bookkeeping.
            members = {article.id} if joined else clusters.copy_component(session, article.id)
            involved = members | {q.post for q in quotes} | {q.source for q in quotes}
            report.quotes -= clusters.prune_quotes(session, involved)
        return report

    def _link_copies(
        self, session: Session, article: Article, signature: Signature, common: set[int], report: LinkReport
    ) -> list[_QuoteCandidate]:
        """Link the confirmed copies; return the pairs that overlap like a quote.

        Pairs are measured without the shingles of common (boilerplate) passages, and a
        quote needs rare passage fingerprints in common with its source.
        """
        config = self.config
        methods = dedup.identity_candidates(session, article)
        for other in dedup.band_candidates(session, article, signature.band_keys, self.window, config.max_candidates):
            methods.setdefault(other, "minhash")
        rare = set(signature.passage_keys) - common
        passages = dedup.passage_candidates(session, article.id, rare, min_shared=2, limit=config.max_candidates)
        for other in passages:
            methods.setdefault(other, "passage")
        if not methods:
            return []
        shared_blocks = boilerplate.boilerplate_of(article.text, config, common)
        mine = without(signature.shingles, shared_blocks)
        split = story_links.split_keys(session, article.url_key)
        quotes: list[_QuoteCandidate] = []
        rank = {candidate_id: n for n, candidate_id in enumerate(methods)}
        found = sorted(dedup.candidates(session, methods), key=lambda c: rank[c.id])
        # A story of hundreds of copies (a wire story) would otherwise cost hundreds of
        # confirmations and links per new copy: a few links into a story connect it.
        links: Counter[int] = Counter()
        tries: Counter[int] = Counter()
        for candidate in found:
            story = candidate.story_id or candidate.id
            if candidate.url_key in split or links[story] >= LINKS_PER_STORY or tries[story] >= TRIES_PER_STORY:
                report.rejected += 1
                continue
            tries[story] += 1
            method = methods[candidate.id]
            theirs = without(self._shingles(session, candidate), shared_blocks)
            measured = overlap(mine, theirs)
            if method in ("url", "text_hash") or self._is_copy(session, article, candidate, measured, mine, theirs):
                later = direction.is_later(article, candidate)
                post, source = (article.id, candidate.id) if later else (candidate.id, article.id)
                _add(session, post, source, dedup.COPY, method, measured, measured.jaccard)
                report.copies[method] = report.copies.get(method, 0) + 1
                report.linked_stories.add(story)
                links[story] += 1
                continue
            if candidate.source_id == article.source_id:
                # Text a site repeats across its own articles is its boilerplate
                # (disclaimers, bios, background boxes), not a quote.
                report.rejected += 1
                continue
            quoting = direction.quotes_candidate(article, candidate, measured)
            post, source = (article.id, candidate.id) if quoting else (candidate.id, article.id)
            quoted = measured.fraction_of_other() if quoting else measured.fraction_of_self()
            if boilerplate.is_quote(config, quoted, measured, passages.get(candidate.id, 0)):
                shared = np.intersect1d(mine, theirs, assume_unique=True)
                quotes.append(_QuoteCandidate(post, source, quoted, measured, shared))
            else:
                report.rejected += 1
        session.flush()
        return quotes

    def _link_quotes(
        self, session: Session, article: Article, quotes: list[_QuoteCandidate], report: LinkReport
    ) -> None:
        """One quote link per (post, quoted story), to the member the post repeats most.

        Text two articles share because both carry a third story (a copy and a post
        quoting that story, two posts quoting it) is no quote of each other: a pair
        already related through a story is skipped. A link records the quoted passages.
        """
        involved = {q.post for q in quotes} | {q.source for q in quotes}
        own = clusters.story_ids(session, involved)
        related = clusters.related_stories(session, involved)
        for quote in sorted(quotes, key=lambda q: (-q.fraction, q.post, q.source)):
            post, source = related[quote.post], related[quote.source]
            if post & source:
                continue
            text = article.text if quote.source == article.id else dedup.texts(session, [quote.source])[quote.source]
            passages = shared_runs(text, quote.shared, self.config.shingle_size)
            _add(session, quote.post, quote.source, dedup.QUOTE, "passage", quote.overlap, quote.fraction, passages)
            # The post now carries the source's story; later candidates see it.
            post.add(own[quote.source])
            report.quotes += 1

    def _shingles(self, session: Session, candidate: dedup.Candidate) -> np.ndarray:
        """A candidate's exact shingle set: from the recent-articles cache, else its text."""
        key = (candidate.id, candidate.content_hash)
        cached = self._recent.get(key)
        if cached is not None:
            self._recent.move_to_end(key)
            return cached
        text = dedup.texts(session, [candidate.id])[candidate.id]
        shingles = shingle_set(shingle_hashes(text, self.config.shingle_size))
        self._remember(key, shingles)
        return shingles

    def _remember(self, key: tuple[int, str], shingles: np.ndarray) -> None:
        self._recent[key] = shingles
        self._recent.move_to_end(key)
        while len(self._recent) > self._cache_size:
            self._recent.popitem(last=False)

    def _is_copy(
        self,
        session: Session,
        article: Article,
        candidate: dedup.Candidate,
        measured: Overlap,
        mine: np.ndarray,
        theirs: np.ndarray,
    ) -> bool:
        """A near-copy within the date window, or a republication whenever it was.

        A text holding nearly all of another's (containment) is a copy of it whatever the
        years between them: the window only bounds how similar a near-copy may look.
        """
        config = self.config
        if measured.size_ratio < config.copy_min_size_ratio:
            return measured.jaccard >= config.copy_jaccard and self._in_window(article, candidate)
        if measured.containment >= config.copy_containment:
            return True
        if not self._in_window(article, candidate):
            return False
        if measured.jaccard >= config.copy_jaccard:
            return True
        if measured.fraction_of_larger < config.copy_lede_fraction:
            return False
        # A trimmed copy with a paragraph of its own overlaps like a quote; it opens like its story.
        text = dedup.texts(session, [candidate.id])[candidate.id]
        size, count = config.shingle_size, config.lede_shingles
        return opens_within(opening_shingles(article.text, size, count), theirs) and opens_within(
            opening_shingles(text, size, count), mine
        )

    def _in_window(self, article: Article, candidate: dedup.Candidate) -> bool:
        dated = self.window is not None and article.published_at and candidate.published_at
        return not dated or abs(article.published_at - candidate.published_at) <= self.window  # type: ignore[operator]


@dataclass(frozen=True, slots=True)
class _QuoteCandidate:
    post: int
    source: int
    fraction: float
    overlap: Overlap
    shared: np.ndarray  # the shared shingles (boilerplate left out)


def _add(
    session: Session,
    post: int,
    source: int,
    kind: str,
    method: str,
    measured: Overlap,
    score: float,
    passages: list[str] | None = None,
) -> None:
    detail: dict = {
        "jaccard": round(measured.jaccard, 4),
        "containment": round(measured.containment, 4),
        "shared_shingles": measured.shared,
    }
    if passages:
        detail["passages"] = passages
    story_links.add_link(session, post, source, kind, method, round(score, 4), detail)
