"""Comment threads the parsers used to miss (fixtures/comments/recall/, pages written after
the engines' real markup or the shapes real threads take): the WordPress Classic theme and
its threaded descendants, Movable Type 3.1's default entry archive, and threads no parser
knows, found by their shape (reply boxes inside comments, a page-wide ASP.NET form, a
heading inside its own header box, "von NAME am DATE" bylines, nested replies, replies
listed apart, comments under each answer of a Q&A page, profile cards, screen-reader text).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipelines.analysis import AnalyzeConfig, PageAnalysis, analyze_page
from pipelines.page import ExtractRules, FetchedPage
from tests.conftest import FIXTURES

RECALL = FIXTURES / "comments" / "recall"
TRUTH = json.loads((RECALL / "expected.json").read_text(encoding="utf-8"))["pages"]
ENGINES = FIXTURES / "engines"


def _analyze(path: str) -> PageAnalysis:
    page = FetchedPage(
        f"https://recall.example/{path}", (FIXTURES / path).read_bytes(), "text/html", datetime(2024, 6, 1, tzinfo=UTC)
    )
    return analyze_page(page, ExtractRules(), AnalyzeConfig())


def _minute(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M") if moment else None


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_thread_is_read_whole_and_kept_out_of_the_body(name: str) -> None:
    """Every comment with its author, time, words and parent; nothing of the thread in the body."""
    truth = TRUTH[name]
    analysis = _analyze(f"comments/recall/{name}")
    comments, body = analysis.comments, analysis.extraction.text
    got = [(c.author, _minute(c.posted_at), c.parent) for c in comments]
    assert got == [(author, posted, parent) for author, _, posted, parent in truth["comments"]], name
    for comment, (_, start, _, _) in zip(comments, truth["comments"], strict=True):
        assert comment.text.startswith(start), f"{name}: {comment.text!r}"
        assert comment.markup == truth["markup"]
        assert comment.text not in body
        for chrome in truth.get("comments_lack", []):
            assert chrome not in comment.text, f"{name}: {chrome!r} in {comment.text!r}"
    for sentence in truth["body_has"]:
        assert sentence in body, f"{name}: article text lost: {sentence!r}"
    for text in truth["body_lacks"]:
        assert text not in body, f"{name}: {text!r} in the body"


def test_movable_type_default_comments_and_pings_leave_the_body() -> None:
    """Movable Type 3.1's default templates mark nothing as a comment: div#cN holds the
    words and the p.posted line after it says who and when. The TrackBack section
    (h2#trackbacks, its URL, the pings p#pN with "Tracked on") is no comment, and no
    article text either."""
    analysis = _analyze("engines/movabletype-default.html")
    assert [(c.author, c.site_id) for c in analysis.comments] == [
        ("Martin Yeo", "c2231"),
        ("Sue Ridley", "c2236"),
        ("Gerald Pike", "c2240"),
    ]
    assert all(c.markup == "posted-by" and c.posted_at is not None for c in analysis.comments)
    body = analysis.extraction.text
    for text in (
        "Lovely work",
        "porter-signalman",
        "Posted by: Sue Ridley",
        "Branch Line Rambles",
        "Tracked on",
        "TrackBack URL",
        "Listed below are links",
    ):
        assert text not in body
    assert "The eighteen-lever frame in the Ashby Halt box" in body
