"""Near-duplicate and quote detection: pure core (text, signature, linker) + DedupPipeline."""

from __future__ import annotations

from pipelines.dedup.config import DedupConfig
from pipelines.dedup.linker import LinkReport, StoryLinker
from pipelines.dedup.pipeline import DedupPipeline, IndexMismatch, check_index, check_index_at, dedup_config
from pipelines.dedup.signature import Signature, make_signature

__all__ = [
    "DedupConfig",
    "DedupPipeline",
    "IndexMismatch",
    "LinkReport",
    "Signature",
    "StoryLinker",
    "check_index",
    "check_index_at",
    "dedup_config",
    "make_signature",
]
