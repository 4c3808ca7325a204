"""Passages: which of a text's shingles are boilerplate, and which runs two texts share.

A passage fingerprint (a winnowed shingle hash, pipelines.dedup.text.winnow) found in
many unrelated documents of the index is boilerplate: a newsletter or membership block,
a disclaimer, a bio. The shingles it stands for are taken out of both texts before a
pair is measured, so shared boilerplate never makes a quote or a copy on its own.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from pipelines.dedup.text import shingle_hashes, simplify

_EMPTY = np.zeros(0, dtype=np.uint32)


def boilerplate_shingles(ordered: list[int], window: int, common: Collection[int]) -> np.ndarray:
    """The shingle hashes (sorted, unique) covered by a window whose fingerprint is common.

    Winnowing picks the minimum of every ``window`` consecutive shingles; a window whose
    minimum is a common fingerprint lies in (or overlaps) the boilerplate run, so every
    shingle of such a window is treated as boilerplate.
    """
    if not common or not ordered:
        return _EMPTY
    hashes = np.asarray(ordered, dtype=np.uint64)
    keys = np.fromiter(common, dtype=np.uint64, count=len(common))
    if len(hashes) <= window:
        return np.unique(hashes.astype(np.uint32)) if np.isin(hashes.min(), keys) else _EMPTY
    minima = np.lib.stride_tricks.sliding_window_view(hashes, window).min(axis=1)
    starts = np.flatnonzero(np.isin(minima, keys))
    if not len(starts):
        return _EMPTY
    # Mark every position of every selected window: +1 at its start, -1 past its end.
    edges = np.zeros(len(hashes) + 1, dtype=np.int32)
    np.add.at(edges, starts, 1)
    np.add.at(edges, starts + window, -1)
    covered = np.cumsum(edges[:-1]) > 0
    return np.unique(hashes[covered].astype(np.uint32))


def without(shingles: np.ndarray, boilerplate: np.ndarray) -> np.ndarray:
    """``shingles`` (a sorted unique set) less the boilerplate ones."""
    if not len(boilerplate):
        return shingles
    return np.setdiff1d(shingles, boilerplate, assume_unique=True)


def shared_runs(text: str, shared: np.ndarray, size: int, limit: int = 5) -> list[str]:
    """The runs of ``text`` made of ``shared`` shingles, as short excerpts in text order.

    What a user reads to see why two articles are linked: "the council voted to … next
    spring (48 words)". Words are the normalised ones the shingles were built from.
    Runs a few shingles apart (a word edited in between) are one run.
    """
    if not len(shared):
        return []
    ordered = np.asarray(shingle_hashes(text, size), dtype=np.uint32)
    positions = np.flatnonzero(np.isin(ordered, shared))
    if not len(positions):
        return []
    words = simplify(text)
    breaks = np.flatnonzero(np.diff(positions) > size) + 1
    runs = [(int(run[0]), int(run[-1]) + size) for run in np.split(positions, breaks)]
    excerpts = []
    for start, end in sorted(runs, key=lambda r: r[0] - r[1])[:limit]:
        span = words[start:end]
        head = " ".join(span[:6])
        excerpt = head if len(span) <= 10 else f"{head} … {' '.join(span[-4:])}"
        excerpts.append((start, f"{excerpt} ({len(span)} words)"))
    return [excerpt for _, excerpt in sorted(excerpts)]


# A text opens with another's words when a run of this many shingles (12 words) they
# share starts among its first shingles: one shared name ("the New Laura Water
# District" is a shingle) does not make a lede.
LEDE_RUN = 8


def opening_shingles(text: str, size: int, count: int) -> np.ndarray:
    """The hashes of a text's first ``count`` + LEDE_RUN shingles (from a prefix of the text)."""
    prefix = " ".join(text.split()[: count + LEDE_RUN + size + 15])
    return np.asarray(shingle_hashes(prefix, size)[: count + LEDE_RUN], dtype=np.uint32)


def opens_within(opening: np.ndarray, other: np.ndarray) -> bool:
    """Whether a run of LEDE_RUN of the opening shingles is in ``other`` (a sorted shingle set)."""
    shared = np.isin(opening, other)
    if len(shared) < LEDE_RUN:
        return bool(len(shared)) and bool(shared.all())
    return bool(np.lib.stride_tricks.sliding_window_view(shared, LEDE_RUN).all(axis=1).any())
