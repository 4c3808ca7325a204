"""Text → shingle hashes: the normalisation every signature and comparison shares.

Normalised as datatrove's ``simplify_text`` does, so a copy that differs only in
typography, case, accents or number formatting shingles the same.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

NORMALIZATION = "simplify-v1"
_NOT_WORD = re.compile(r"[\W_]+")
_DIGIT = re.compile(r"\d")


def simplify(text: str) -> list[str]:
    """Lowercase words with accents folded, digits as 0 and punctuation gone."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    return _NOT_WORD.sub(" ", _DIGIT.sub("0", folded)).split()


def shingle_hashes(text: str, size: int) -> list[int]:
    """The 32-bit hash of each run of ``size`` words, in text order (a short text is one shingle).

    crc32 is stable across processes and machines (Python's ``hash`` is not) and fast.
    """
    words = simplify(text)
    if not words:
        return []
    if len(words) < size:
        return [zlib.crc32(" ".join(words).encode())]
    return [zlib.crc32(" ".join(words[i : i + size]).encode()) for i in range(len(words) - size + 1)]


def winnow(hashes: list[int], window: int) -> set[int]:
    """Winnowing fingerprints (Schleimer, Wilkerson & Aiken 2003): the minimum of every window.

    Two texts sharing a run of ``window`` shingles are guaranteed to share a
    fingerprint, with about 2/(window+1) of the shingles kept, so a passage index stays
    small and finds quoted paragraphs without comparing whole articles.
    """
    if len(hashes) <= window:
        return {min(hashes)} if hashes else set()
    return {min(hashes[i : i + window]) for i in range(len(hashes) - window + 1)}
