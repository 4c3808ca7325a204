"""An earlier text stored as a delta against the text that replaced it (a reverse delta).

The earlier text is a list of paragraphs; each one the newer text also has is a
3-byte reference to it (a hash of its content, not its position), the others are
kept as UTF-8, and the whole is deflated when that is smaller. A one-paragraph edit
of a 700-word article costs about a tenth of the compressed text (docs/benchmarks.md,
bench/version_storage.py).

References are by content because the newer text may lose paragraphs later without a
new version: a paragraph that becomes the source's boilerplate is removed from the
stored text in place (storage.queries.replace_text). A reference to it then finds
nothing and the paragraph is left out of the earlier text too, which is what a reader
of the diff wants (our cleaning is no edit); positions would have shifted and garbled
every paragraph after it.
"""

from __future__ import annotations

import hashlib
import zlib

FORMAT = 1
# Set on the format byte when the body is deflated.
DEFLATED = 0x80
KEY_BYTES = 3
# A reference is only ever made to a paragraph whose content matches, so a short key
# cannot reconstruct a wrong paragraph; two paragraphs of one text sharing a key are
# simply stored as text (about 1 text in 1,000 with 100 distinct paragraphs).
_REFS, _TEXT, _EDIT = 0, 1, 2
# A paragraph sharing this share of its words with one of the newer text's is stored as
# an edit of it: deflated with that paragraph as the dictionary (a reworded sentence
# costs its changed words, not the paragraph).
EDIT_SIMILARITY = 0.5


def _key(paragraph: str) -> bytes:
    return hashlib.blake2b(paragraph.encode("utf-8"), digest_size=KEY_BYTES).digest()


def _index(text: str) -> dict[bytes, str | None]:
    """Key → paragraph of ``text``; None for a key two different paragraphs share."""
    index: dict[bytes, str | None] = {}
    for paragraph in text.split("\n"):
        key = _key(paragraph)
        index[key] = paragraph if index.get(key, paragraph) == paragraph else None
    return index


def encode(old: str, new: str) -> bytes:
    """``old`` as a delta that ``decode(delta, new)`` turns back into it."""
    index = _index(new)
    words = {key: set(paragraph.split()) for key, paragraph in index.items() if paragraph}
    body = bytearray()
    refs: list[bytes] = []
    texts: list[str] = []

    def flush() -> None:
        if refs:
            body.extend(_varint(len(refs) << 2 | _REFS) + b"".join(refs))
            refs.clear()
        if texts:
            data = "\n".join(texts).encode("utf-8")
            body.extend(_varint(len(data) << 2 | _TEXT) + data)
            texts.clear()

    for paragraph in old.split("\n"):
        key = _key(paragraph)
        if index.get(key) == paragraph:
            if texts:
                flush()
            refs.append(key)
        elif (like := _most_like(paragraph, words)) is not None:
            flush()
            edit = like + _deflate(paragraph.encode("utf-8"), zdict=index[like].encode("utf-8"))  # type: ignore[union-attr]
            body.extend(_varint(len(edit) << 2 | _EDIT) + edit)
        else:
            if refs:
                flush()
            texts.append(paragraph)
    flush()
    if len(deflated := _deflate(bytes(body))) < len(body):
        return bytes([FORMAT | DEFLATED]) + deflated
    return bytes([FORMAT]) + bytes(body)


def decode(delta: bytes, new: str) -> str:
    """The earlier text from its delta and the text that replaced it (as stored now)."""
    if delta[0] & ~DEFLATED != FORMAT:
        raise ValueError(f"unknown text delta format {delta[0]}")
    body = _inflate(delta[1:]) if delta[0] & DEFLATED else delta[1:]
    index = _index(new)
    paragraphs: list[str] = []
    pos = 0
    while pos < len(body):
        header, pos = _read_varint(body, pos)
        size, kind = header >> 2, header & 3
        if kind == _REFS:
            keys = [body[pos + n * KEY_BYTES : pos + (n + 1) * KEY_BYTES] for n in range(size)]
            # None: the paragraph has left the newer text since (boilerplate cleaning).
            paragraphs.extend(p for key in keys if (p := index.get(key)) is not None)
            pos += size * KEY_BYTES
            continue
        data, pos = body[pos : pos + size], pos + size
        if kind == _TEXT:
            paragraphs.extend(data.decode("utf-8").split("\n"))
        elif (base := index.get(data[:KEY_BYTES])) is not None:
            paragraphs.append(_inflate(data[KEY_BYTES:], zdict=base.encode("utf-8")).decode("utf-8"))
    return "\n".join(paragraphs)


def _most_like(paragraph: str, words: dict[bytes, set[str]]) -> bytes | None:
    """The key of the newer text's paragraph sharing most of this one's words, if any
    shares enough (Jaccard over distinct words)."""
    own = set(paragraph.split())
    best, best_key = EDIT_SIMILARITY, None
    for key, theirs in words.items():
        if own and (share := len(own & theirs) / len(own | theirs)) >= best:
            best, best_key = share, key
    return best_key


def _deflate(data: bytes, zdict: bytes = b"") -> bytes:
    # Raw deflate: no zlib header and checksum (6 bytes a version).
    compressor = (
        zlib.compressobj(9, zlib.DEFLATED, -15, zdict=zdict) if zdict else zlib.compressobj(9, zlib.DEFLATED, -15)
    )
    return compressor.compress(data) + compressor.flush()


def _inflate(data: bytes, zdict: bytes = b"") -> bytes:
    decompressor = zlib.decompressobj(-15, zdict=zdict) if zdict else zlib.decompressobj(-15)
    return decompressor.decompress(data) + decompressor.flush()


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
