"""Near-duplicate and quote detection: pure core (text, signature, linker) + DedupPipeline."""

from __future__ import annotations

from pipelines.dedup.config import DedupConfig
from pipelines.dedup.linker import LinkReport, StoryLinker
from pipelines.dedup.pipeline import DedupPipeline, dedup_config
from pipelines.dedup.signature import Signature, make_signature

__all__ = ["DedupConfig", "DedupPipeline", "LinkReport", "Signature", "StoryLinker", "dedup_config", "make_signature"]
