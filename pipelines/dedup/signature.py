"""An article's dedup signature: MinHash, LSH band keys, passage fingerprints, shingles."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

from pipelines.dedup.config import DedupConfig
from pipelines.dedup.text import shingle_hashes, winnow

# datasketch 2.0 changed the default scheme; naming it keeps old and new signatures apart.
MINHASH_SCHEME = "affine32"


def _as_is(value: int) -> int:
    return value


@functools.cache
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch draws a MinHash's permutations anew for every object; they depend only
    on (num_perm, seed, scheme), so one draw serves every signature (measured: a third
    of make_signature's time)."""
    template = MinHash(num_perm=num_perm, seed=seed, hashfunc=_as_is, scheme=MINHASH_SCHEME)
    return template.permutations


@dataclass(frozen=True, slots=True)
class Signature:
    """What the store needs to index an article and to confirm its candidates."""

    minhash: LeanMinHash
    # The distinct shingle hashes, sorted (uint32): 4 bytes each, and numpy intersects them.
    shingles: np.ndarray
    band_keys: tuple[int, ...]
    passage_keys: tuple[int, ...]

    def minhash_bytes(self) -> bytes:
        buffer = bytearray(self.minhash.bytesize())
        self.minhash.serialize(buffer)
        return bytes(buffer)


def make_signature(text: str, config: DedupConfig) -> Signature:
    """Shingle the text once and derive everything else from those hashes."""
    ordered = shingle_hashes(text, config.shingle_size)
    shingles = shingle_set(ordered)
    minhash = MinHash(
        num_perm=config.num_perm,
        seed=config.seed,
        hashfunc=_as_is,
        scheme=MINHASH_SCHEME,
        permutations=_permutations(config.num_perm, config.seed),
    )
    minhash.update_batch(shingles.tolist())
    lean = LeanMinHash(minhash)
    return Signature(
        minhash=lean,
        shingles=shingles,
        band_keys=band_keys(lean.hashvalues, config),
        passage_keys=tuple(sorted(winnow(ordered, config.passage_window))),
    )


def band_keys(hashvalues: np.ndarray, config: DedupConfig) -> tuple[int, ...]:
    """One signed 64-bit key per LSH band: the band's number and its rows, hashed.

    The band number is part of the key so that all bands share one indexed column.
    """
    values = np.asarray(hashvalues, dtype=np.uint32)
    keys = []
    for band in range(config.bands):
        rows = values[band * config.rows : (band + 1) * config.rows].tobytes()
        digest = hashlib.blake2b(rows, digest_size=8, person=band.to_bytes(16, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


def load_minhash(data: bytes) -> LeanMinHash:
    return LeanMinHash.deserialize(data)


@dataclass(frozen=True, slots=True)
class Overlap:
    """Exact overlap of two shingle sets, the figures a link is decided and explained by."""

    shared: int
    size: int
    other_size: int

    @property
    def jaccard(self) -> float:
        union = self.size + self.other_size - self.shared
        return self.shared / union if union else 0.0

    @property
    def containment(self) -> float:
        """How much of the smaller text is in the larger one."""
        smaller = min(self.size, self.other_size)
        return self.shared / smaller if smaller else 0.0

    @property
    def size_ratio(self) -> float:
        larger = max(self.size, self.other_size)
        return min(self.size, self.other_size) / larger if larger else 0.0

    @property
    def fraction_of_larger(self) -> float:
        """How much of the larger text the two share."""
        larger = max(self.size, self.other_size)
        return self.shared / larger if larger else 0.0

    def fraction_of_other(self) -> float:
        return self.shared / self.other_size if self.other_size else 0.0

    def fraction_of_self(self) -> float:
        return self.shared / self.size if self.size else 0.0


def shingle_set(hashes: list[int]) -> np.ndarray:
    return np.unique(np.asarray(hashes, dtype=np.uint32))


def overlap(shingles: np.ndarray, other: np.ndarray) -> Overlap:
    shared = len(np.intersect1d(shingles, other, assume_unique=True))
    return Overlap(shared, len(shingles), len(other))
