"""Which of two articles came first: who copies whom, and who quotes whom.

Publication times decide; a date read from the URL alone is a day, not an instant. A
quote between two articles whose times cannot be told apart goes to the text the shared
passage is a smaller part of; it is never decided by the order articles were imported in.
"""

from __future__ import annotations

from datetime import timedelta

from pipelines.dedup.signature import Overlap
from storage import clusters, dedup
from storage.models import Article

# A date read from the URL alone is a day in the site's zone, not an instant: a time from
# 14 hours before its midnight (UTC+14) to 38 hours after (UTC-12, end of day) may be on it.
DATE_ONLY = "url"
_DAY = (timedelta(hours=-14), timedelta(hours=38))


def quotes_candidate(article: Article, candidate: dedup.Candidate, measured: Overlap) -> bool:
    """Whether the new article is the quoting one of the pair.

    The later publication quotes the earlier; with equal or missing times, the quoter is
    the text that holds the shared passage as the smaller part of itself (a long post
    around a quoted paragraph, not the article the paragraph came from).
    """
    mine, theirs = article.published_at, candidate.published_at
    if mine is not None and theirs is not None and not same_time(article, candidate):
        return mine > theirs
    own, other = measured.fraction_of_self(), measured.fraction_of_other()
    if own != other:
        return own < other
    return is_later(article, candidate)


def same_time(article: Article, candidate: dedup.Candidate) -> bool:
    """Whether two publication times cannot be told apart (equal, or one is a bare date around the other)."""
    mine, theirs = article.published_at, candidate.published_at
    assert mine is not None and theirs is not None
    if mine == theirs:
        return True
    if article.published_source == DATE_ONLY and mine + _DAY[0] <= theirs <= mine + _DAY[1]:
        return True
    return candidate.published_source == DATE_ONLY and theirs + _DAY[0] <= mine <= theirs + _DAY[1]


def is_later(article: Article, candidate: dedup.Candidate) -> bool:
    """Whether the new article comes after the candidate (links point from copy to original)."""
    mine = clusters.story_order(article.published_at, article.fetched_at, article.id)
    theirs = clusters.story_order(candidate.published_at, candidate.fetched_at, candidate.id)
    return mine > theirs
