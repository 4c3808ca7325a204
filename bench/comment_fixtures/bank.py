"""Text bank (articles, comment texts, commenter names) and the one random source.

The texts live in ``data/``: ``articles.json`` maps an article key to its title,
byline, category, body ``paras`` and ``talk`` (comments about this article, used
first, as top-level comments); ``comment_texts.json`` holds comments that fit under
any article (``generic``), replies (``replies``; ``{p}`` is the parent comment's
author), replies by the post's own author (``owner_replies``) and commenter names
(``authors``). In the comment lists a list is one comment with several paragraphs.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "comments"
RNG = random.Random(20141121)


def _load(name: str):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


ARTICLES: dict[str, dict] = _load("articles.json")
_TEXTS: dict[str, list] = _load("comment_texts.json")
GENERIC: list = _TEXTS["generic"]
REPLIES: list = _TEXTS["replies"]
OWNER_REPLIES: list = _TEXTS["owner_replies"]
AUTHORS: list = _TEXTS["authors"]
