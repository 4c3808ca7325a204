"""Text → shingle hashes: the normalisation every signature and comparison shares.

Normalised as datatrove's ``simplify_text`` does, so a copy that differs only in
typography, case, accents or number formatting shingles the same.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib

import numpy as np

NORMALIZATION = "simplify-v1"
_NOT_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


@functools.cache
def _combining_marks() -> dict[int, None]:
    """Every combining mark (accents after NFKD), for str.translate to delete in one C pass."""
    return dict.fromkeys(cp for cp in range(0x110000) if unicodedata.combining(chr(cp)))


def simplify(text: str) -> list[str]:
    """Lowercase words with accents folded, digits as 0 and punctuation gone."""
    if not text.isascii():  # nothing to fold in ASCII, the common case in English news
        text = unicodedata.normalize("NFKD", text).translate(_combining_marks())
    return _NOT_WORD.sub(" ", _DIGIT.sub("0", text.casefold())).split()


# Shingle hash: a polynomial over the words' crc32s, mod 2**32, computed for every
# window at once with numpy (stable across processes and machines, unlike ``hash``).
SHINGLE_HASH = "crc32poly"
_BASE = np.uint64(0x9E3779B1)
_MASK = np.uint64(0xFFFFFFFF)


def shingle_hashes(text: str, size: int) -> list[int]:
    """The 32-bit hash of each run of ``size`` words, in text order (a short text is one shingle)."""
    words = simplify(text)
    if not words:
        return []
    codes = np.fromiter((zlib.crc32(word.encode()) for word in words), dtype=np.uint64, count=len(words))
    width = min(size, len(words))
    count = len(words) - width + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        hashes = (hashes * _BASE + codes[offset : offset + count]) & _MASK
    return hashes.tolist()


def winnow(hashes: list[int], window: int) -> set[int]:
    """Winnowing fingerprints (Schleimer, Wilkerson & Aiken 2003): the minimum of every window.

    Two texts sharing a run of ``window`` shingles are guaranteed to share a
    fingerprint, with about 2/(window+1) of the shingles kept, so a passage index stays
    small and finds quoted paragraphs without comparing whole articles.
    """
    if len(hashes) <= window:
        return {min(hashes)} if hashes else set()
    windows = np.lib.stride_tricks.sliding_window_view(np.asarray(hashes, dtype=np.uint64), window)
    return set(windows.min(axis=1).tolist())
