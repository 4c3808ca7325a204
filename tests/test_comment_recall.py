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


_POLISH_PAGE = """<html lang="pl"><head><title>Nowy most na Wiśle</title></head><body>
<article><h1>Nowy most na Wiśle</h1>
<p>Budowa nowego mostu na Wiśle rozpocznie się jesienią. Miasto podpisało umowę z wykonawcą,
a pierwsze prace przygotowawcze ruszą jeszcze w tym miesiącu na obu brzegach rzeki.</p>
<p>Most ma połączyć dwie dzielnice, które dziś dzieli kilkanaście kilometrów objazdu, i ma
być gotowy za trzy lata, jeśli pogoda i dostawy stali nie opóźnią budowy.</p></article>
<section id="komentarze"><h2>Komentarze</h2>
<div class="wpis"><span class="autor">Jan Kowalski</span> <span class="data">3 marca 2020, 14:05</span>
<p>Nareszcie! Czekamy na ten most od lat, objazd przez centrum zajmuje godzinę.</p></div>
<div class="wpis"><span class="autor">Anna Nowak</span> <span class="data">4 marca 2020, 09:30</span>
<p>Trzy lata to bardzo optymistyczny termin, zobaczymy jak będzie naprawdę.</p></div>
</section></body></html>"""


def test_a_thread_dated_in_the_pages_own_language_is_read() -> None:
    """Dates are read in the page's declared language and the common ones (not every
    locale dateparser has): a Polish thread's "3 marca 2020, 14:05" is its time."""
    fetched = datetime(2024, 6, 1, tzinfo=UTC)
    page = FetchedPage("https://most.example/most", _POLISH_PAGE.encode(), "text/html", fetched)
    analysis = analyze_page(page, ExtractRules(), AnalyzeConfig())
    got = [(c.author, _minute(c.posted_at)) for c in analysis.comments]
    assert got == [("Jan Kowalski", "2020-03-03T14:05"), ("Anna Nowak", "2020-03-04T09:30")]
    assert "Nareszcie" not in analysis.extraction.text
