"""Headlines, comments and bylines on pages shaped like the engines users meet most
(fixtures/engines/, their real default templates described in TEMPLATES.md): WordPress
classic (Twenty Ten, Twenty Fifteen) and block themes, Drupal 7 (Bartik) and 8+ (Olivero),
Movable Type and TypePad, Ghost (Casper), Blogger, Disqus static copies, forum topics
(phpBB, vBulletin, XenForo, Discourse), a thread migrated into the post body, a "Recent
Comments" widget on a page without byline, and a news page without comments whose sidebar
names people."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipelines.analysis import AnalyzeConfig, PageAnalysis, analyze_page
from pipelines.page import ExtractRules, FetchedPage
from tests.conftest import FIXTURES

ENGINES = FIXTURES / "engines"
TRUTH = json.loads((ENGINES / "expected.json").read_text(encoding="utf-8"))["pages"]


def _analyze(name: str) -> PageAnalysis:
    page = FetchedPage(
        f"https://engines.example/{name}", (ENGINES / name).read_bytes(), "text/html", datetime(2024, 6, 1, tzinfo=UTC)
    )
    return analyze_page(page, ExtractRules(), AnalyzeConfig())


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_engine_page_is_read_as_its_readers_see_it(name: str) -> None:
    """The headline without the site's name, the article in the body, each reader comment a
    record with its author and time, the article's own author, and nothing of comments or
    widgets in the body."""
    truth = TRUTH[name]
    analysis = _analyze(name)
    body = analysis.extraction.text
    for sentence in truth["body_has"]:
        assert sentence in body, f"{name}: article text lost: {sentence!r}"
    for text in truth["body_lacks"]:
        assert text not in body, f"{name}: {text!r} in the body"
    assert analysis.extraction.authors == truth["authors"]
    if "title" in truth:
        assert analysis.extraction.title == truth["title"], f"{name}: title"
    comments = analysis.comments
    assert [(c.author, c.parent) for c in comments] == [(a, p) for a, _, p in truth["comments"]]
    for comment, (_, start, _) in zip(comments, truth["comments"], strict=True):
        assert comment.text.startswith(start), f"{name}: {comment.text!r}"
        assert comment.markup == truth["markup"]
        assert truth.get("comments_without_time") or comment.posted_at is not None
    # No article paragraph became a comment.
    assert not any(c.text in body or body.split("\n")[0] in c.text for c in comments)


def test_forum_topic_is_an_article_not_a_listing() -> None:
    """A phpBB topic's posts have linked headings, but they link within the page: it is
    one article (the first post) with replies, not a listing of posts."""
    analysis = _analyze("phpbb.html")
    assert analysis.extraction.text.startswith("I swapped the rear pads")
    assert len(analysis.comments) == 2


def test_prosilver_topic_is_an_article_not_a_listing() -> None:
    """phpBB 3.3's prosilver: the same, with the "by NAME » <time>" line of every post."""
    analysis = _analyze("phpbb-prosilver.html")
    assert analysis.extraction.text.startswith("My Beta 43 runs at 80 degrees")
    assert len(analysis.comments) == 2
