"""Dedup configuration: every default, the DEDUP_* settings that override them, and the
check that a stored index was built with the same ones. Shared by the crawl, the
importer, ``reprocess`` and ``dedup rebuild``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from pipelines.dedup.text import NORMALIZATION, SHINGLE_HASH
from pipelines.settings_reader import from_settings
from storage.dedup import foreign_params

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings
    from sqlalchemy.orm import Session


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """How signatures are built and when two articles are one story or a quote.

    The figures behind each default are in docs/dedup.md (measured with
    ``python -m bench.dedup_accuracy``). Each field is the setting DEDUP_<FIELD>.
    """

    SETTINGS_PREFIX: ClassVar[str] = "DEDUP"

    enabled: bool = True
    # Word shingles: 5 words keep unrelated stories on one topic apart (they share names
    # and phrases, rarely five words in a row) and survive single-word edits in copies.
    shingle_size: int = 5
    num_perm: int = 128
    seed: int = 1
    # LSH bands x rows = num_perm: 32 x 4 puts the 50% candidate point near Jaccard 0.42,
    # below the copy threshold, so trimmed copies still become candidates.
    bands: int = 32
    rows: int = 4
    # A confirmed copy: exact Jaccard of the shingle sets, or (a copy cut from the
    # bottom) the smaller text nearly contained in the larger and not tiny beside it.
    copy_jaccard: float = 0.5
    copy_containment: float = 0.85
    copy_min_size_ratio: float = 0.3
    # A trimmed copy (the top of the story, a local paragraph added): both texts open
    # with the same words (a shared run among the first `lede_shingles`, room for an
    # editor's note) and they share at least this fraction of the larger one. A post
    # that opens with the quote it comments repeats less of its source (30-50%).
    copy_lede_fraction: float = 0.5
    lede_shingles: int = 25
    # Copies run within days of each other; None compares across any time (archives).
    window_days: float | None = 7.0
    # Quotes: passages of `passage_window` shingles are fingerprinted; a post quotes an
    # article when it repeats at least this fraction of it.
    passage_window: int = 20
    quote_min_fraction: float = 0.2
    quote_min_shingles: int = 15
    # ... and shares at least this many rare passage fingerprints with it.
    quote_min_passages: int = 2
    # A fingerprint held by more stories than max(passage_common_min, this fraction of
    # the indexed articles) is boilerplate: its text never makes a link on its own. Counted
    # in stories, so a wire story's copies and the posts quoting it keep their passages;
    # a fraction, so the bar grows with the index (an IDF cut-off, not a fixed count).
    passage_common_min: int = 5
    passage_common_fraction: float = 0.01
    # At most this many LSH/passage candidates are confirmed per article.
    max_candidates: int = 200

    def __post_init__(self) -> None:
        if self.bands * self.rows != self.num_perm:
            raise ValueError(f"DEDUP_BANDS x DEDUP_ROWS must equal DEDUP_NUM_PERM ({self.num_perm})")
        for name in ("copy_jaccard", "copy_containment", "quote_min_fraction", "passage_common_fraction"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"DEDUP_{name.upper()} must be in (0, 1]")

    @property
    def params(self) -> str:
        """What a stored signature was built with; signatures built otherwise don't mix."""
        return (
            f"{NORMALIZATION};word{self.shingle_size};{SHINGLE_HASH};affine32;"
            f"perm{self.num_perm};seed{self.seed};lsh{self.bands}x{self.rows};win{self.passage_window}"
        )

    @property
    def lsh_threshold(self) -> float:
        """The Jaccard similarity at which a pair becomes a candidate with probability ~1/2."""
        return (1 / self.bands) ** (1 / self.rows)

    def common_passage_bar(self, indexed: int) -> int:
        """How many stories may hold a passage fingerprint before it counts as boilerplate."""
        return max(self.passage_common_min, int(self.passage_common_fraction * indexed))


def dedup_config(settings: BaseSettings) -> DedupConfig:
    """DedupConfig from the DEDUP_<FIELD> settings (defaults live on the dataclass).

    DEDUP_WINDOW_DAYS=None (or empty) compares across any time.
    """
    return from_settings(DedupConfig, settings)


class IndexMismatch(RuntimeError):
    """The stored signatures were built with other DEDUP_* settings than this crawl's."""


def check_index(session: Session, config: DedupConfig, where: str) -> None:
    """Refuse to mix signatures built differently (they would give wrong similarities)."""
    if config.enabled and (other := foreign_params(session, config.params)):
        raise IndexMismatch(
            f"{where}: the dedup index was built with {other}, the settings say {config.params}: "
            "restore the DEDUP_* settings it was built with, or run `newsdedup dedup rebuild` with the new ones"
        )
