"""Near-duplicate and quote detection, without Scrapy: configuration, signatures, linking.

The analyze stage signs each article (signature.py); the store links it into the index
in the article's own transaction (linker.py); ``dedup rebuild`` does both over a database.
"""

from __future__ import annotations

from pipelines.dedup.config import DedupConfig, IndexMismatch, check_index, dedup_config
from pipelines.dedup.linker import LinkReport, StoryLinker
from pipelines.dedup.signature import Signature, make_signature

__all__ = [
    "DedupConfig",
    "IndexMismatch",
    "LinkReport",
    "Signature",
    "StoryLinker",
    "check_index",
    "dedup_config",
    "make_signature",
]
