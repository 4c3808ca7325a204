"""The "Related articles" block an extractor kept at the end of a body.

Newsrooms and blog themes close an article with a heading naming other articles
("Related posts", "Empfohlene Beiträge", "Notas relacionadas") and a few teasers under
it. When trafilatura keeps that block, its heading is a line of its own near the end of
the text; the heading and what follows it are other articles' titles and dates.
"""

from __future__ import annotations

import re

_RELATED_HEADING = re.compile(
    r"^(?:related(?: posts| articles| stories| content| news)?|you (?:may|might) also like"
    r"|more (?:stories|articles|news)|recommended(?: for you| articles| posts| stories)?"
    r"|empfohlene (?:beiträge|artikel)|weitere (?:themen|artikel)|ähnliche (?:beiträge|artikel)"
    r"|das könnte sie auch interessieren|notas relacionadas|noticias relacionadas|contenido relacionado"
    r"|artículos relacionados|articles similaires|sur le même sujet|articoli correlati|podobne artykuły"
    r"|gerelateerde artikelen)\s*:?$",
    re.IGNORECASE,
)
# What follows the heading is at most this share of the text: a heading met early is a
# box inside the article, and the article goes on after it.
_TAIL_SHARE = 0.4


def without_related_tail(text: str) -> str:
    """The text up to a closing "related articles" heading, when one ends it."""
    lines = text.split("\n")
    total = len(text)
    position = 0
    for index, line in enumerate(lines):
        if _RELATED_HEADING.match(" ".join(line.split())) and total - position <= _TAIL_SHARE * total:
            return "\n".join(lines[:index]).rstrip()
        position += len(line) + 1
    return text
