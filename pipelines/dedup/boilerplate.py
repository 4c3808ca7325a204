"""Boilerplate by document frequency: passages many unrelated documents of the index share.

A passage fingerprint held by more stories than a bar that grows with the index
(DedupConfig.common_passage_bar, an IDF-like cut-off) is boilerplate: a newsletter or
membership block, a disclaimer. Its shingles are left out of every measure, so it never
makes a quote or a copy on its own, and a quote needs rare passages in common.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy.orm import Session

from pipelines.dedup.config import DedupConfig
from pipelines.dedup.passages import boilerplate_shingles, without
from pipelines.dedup.signature import Overlap, overlap, shingle_set
from pipelines.dedup.text import shingle_hashes
from storage import clusters, dedup
from storage import links as story_links


def common_passages(session: Session, config: DedupConfig, keys: tuple[int, ...]) -> tuple[set[int], set[int]]:
    """An article's boilerplate fingerprints, and those it just made boilerplate.

    One this article pushed over the bar may already have made links between earlier
    holders (see drop_boilerplate_quotes).
    """
    stories = dedup.passage_stories(session, keys)
    if not stories or max(stories.values()) <= config.passage_common_min:
        return set(), set()  # the common case: no count of the index needed
    bar = config.common_passage_bar(dedup.indexed_count(session))
    common = {key for key, count in stories.items() if count > bar}
    return common, {key for key in common if stories[key] - 1 <= bar}


def boilerplate_of(text: str, config: DedupConfig, common: set[int]) -> np.ndarray:
    """The text's shingles that belong to common passages (none when there are none)."""
    ordered = shingle_hashes(text, config.shingle_size) if common else []
    return boilerplate_shingles(ordered, config.passage_window, common)


def is_quote(config: DedupConfig, quoted: float, measured: Overlap, rare_passages: int) -> bool:
    """Enough of the source repeated, and in rare passages (not only in boilerplate)."""
    return (
        quoted >= config.quote_min_fraction
        and measured.shared >= config.quote_min_shingles
        and rare_passages >= config.quote_min_passages
    )


def drop_boilerplate_quotes(session: Session, config: DedupConfig, common: set[int], newly_common: set[int]) -> int:
    """Re-measure the quote links between holders of passages that just became common.

    While a block appended to many articles was still rare in the index, it may have
    made quotes between its first holders; now that it is boilerplate, a link that no
    longer holds without it goes. Runs once per fingerprint crossing the bar, so the
    result does not depend on the order the holders arrived in. Returns links dropped.
    """
    links = clusters.quote_links_among(session, dedup.passage_holders(session, newly_common))
    if not links:
        return 0
    ids = {article_id for _, post, quoted in links for article_id in (post, quoted)}
    texts = dedup.texts(session, ids)
    stored = dedup.stored_passages(session, ids)
    stale = []
    for link_id, post, quoted in links:
        boilerplate = np.union1d(
            boilerplate_of(texts[post], config, common), boilerplate_of(texts[quoted], config, common)
        )
        post_set, quoted_set = (
            without(shingle_set(shingle_hashes(texts[i], config.shingle_size)), boilerplate) for i in (post, quoted)
        )
        measured = overlap(post_set, quoted_set)
        rare = len((stored.get(post, set()) & stored.get(quoted, set())) - common)
        if not is_quote(config, measured.fraction_of_other(), measured, rare):
            stale.append(link_id)
    story_links.delete_links(session, stale)
    return len(stale)
