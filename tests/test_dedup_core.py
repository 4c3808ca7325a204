"""The dedup core on its own: URL identity, normalisation, signatures, and the linker on a real DB."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from pipelines.dedup import DedupConfig, StoryLinker, make_signature
from pipelines.dedup.text import simplify
from storage.db import make_engine, migrate, session_scope
from storage.queries import upsert_article
from storage.records import ArticleFields
from storage.urls import article_identity, url_key

ARTICLE = "https://www.example.com/2024/05/council-votes-on-budget/"


@pytest.mark.parametrize(
    "variant",
    [
        "http://example.com/2024/05/council-votes-on-budget",
        "https://m.example.com/2024/05/council-votes-on-budget/",
        "https://www.example.com/2024/05/council-votes-on-budget/amp/",
        "https://amp.example.com/2024/05/council-votes-on-budget/?amp=1",
        "https://www.example.com/2024/05/council-votes-on-budget/index.html",
        "https://www.example.com/2024/05/council-votes-on-budget/?utm_source=twitter&utm_medium=social&fbclid=x",
        "https://WWW.EXAMPLE.COM:443/2024/05/council-votes-on-budget/#comments",
        "https://www.example.com/2024/05/council-votes-on-budget/comment-page-2/",
    ],
)
def test_url_variants_are_one_article(variant: str) -> None:
    assert url_key(variant) == url_key(ARTICLE)


def test_different_articles_stay_different() -> None:
    assert url_key("https://example.com/?p=1") != url_key("https://example.com/?p=2")
    assert url_key("https://example.com/a/") != url_key("https://example.org/a/")


def test_cross_site_canonical_is_a_declaration_not_an_identity() -> None:
    copy = "https://partner.example/news/council-votes/"
    identity = article_identity(copy, ARTICLE, None)
    assert identity.canonical_url == copy
    assert url_key(identity.declared_elsewhere) == url_key(ARTICLE)
    # On the page's own site the canonical link is the article.
    assert article_identity(ARTICLE + "?utm_source=x", ARTICLE, None).canonical_url == ARTICLE
    # A saved page: og:url stands for the page, a foreign canonical is declared.
    saved = article_identity("file:///tmp/page.html", ARTICLE, copy)
    assert (saved.canonical_url, url_key(saved.declared_elsewhere)) == (copy, url_key(ARTICLE))


def test_normalisation_folds_typography_case_accents_and_digits() -> None:
    assert simplify("Café «Señor» sold 1,250 units — in 2024!") == [
        "cafe",
        "senor",
        "sold",
        "0",
        "000",
        "units",
        "in",
        "0000",
    ]


PARAGRAPHS = [
    f"Paragraph {n} of the council story reports that member {name} argued the budget for the {topic} "
    f"would need another review before the vote on Thursday, according to people in the room."
    for n, (name, topic) in enumerate(
        [
            ("Alvarez", "harbour"),
            ("Brandt", "schools"),
            ("Chen", "roads"),
            ("Dumas", "library"),
            ("Eze", "parks"),
            ("Fischer", "transit"),
            ("Garcia", "housing"),
            ("Hale", "water"),
        ]
    )
]
ORIGINAL = "\n".join(PARAGRAPHS)


def test_signature_estimates_similarity_and_is_portable() -> None:
    config = DedupConfig()
    original = make_signature(ORIGINAL, config)
    copy = make_signature("\n".join(PARAGRAPHS[:-1]) + "\nEditor's note: this story was updated.", config)
    unrelated = make_signature("A completely different text about weather, sport and markets. " * 20, config)
    assert original.minhash.jaccard(copy.minhash) > 0.6
    assert original.minhash.jaccard(unrelated.minhash) < 0.1
    assert make_signature(ORIGINAL, config).band_keys == original.band_keys
    assert "affine32" in config.params and "perm128" in config.params
    with pytest.raises(ValueError, match="must equal DEDUP_NUM_PERM"):
        DedupConfig(bands=10, rows=10)


def _store(session, url: str, text: str, published: datetime, config: DedupConfig):
    fields = ArticleFields(url=url, canonical_url=url, text=text, published_at=published, fetched_at=published)
    article, _ = upsert_article(session, url.split("/")[2], fields)
    StoryLinker(config).link(session, article, make_signature(text, config))
    return article


REWRITTEN = [
    "A rewritten closing paragraph names the harbour contractor, the ferry timetable and the dredging "
    "permit that nobody on the committee had read before the hearing began.",
    "Residents queued outside the chamber with placards about bus shelters, pothole repairs and the "
    "closure of the swimming pool on the east side of town last winter.",
]


@pytest.mark.parametrize(("window_days", "linked"), [(7.0, False), (None, True)])
def test_publication_window_limits_near_duplicates(tmp_path, window_days, linked) -> None:
    config = DedupConfig(window_days=window_days)
    engine = make_engine(f"sqlite:///{tmp_path / 'window.db'}", writer=True)
    migrate(engine)
    day = datetime(2024, 5, 1, tzinfo=UTC)
    # A near-copy with two paragraphs rewritten: similar (Jaccard >= 0.5), not contained.
    edited = "\n".join(PARAGRAPHS[:-2] + REWRITTEN)
    with session_scope(engine) as session:
        first = _store(session, "https://wire.example/a/", ORIGINAL, day, config)
        second = _store(session, "https://daily.example/b/", edited, day + timedelta(days=30), config)
        assert (second.story_id == first.id) is linked
        # Identical text is the same text whenever it ran.
        third = _store(session, "https://other.example/c/", ORIGINAL, day + timedelta(days=300), config)
        assert third.story_id == first.id
    engine.dispose()


def test_a_republication_years_later_is_a_copy_not_a_quote(tmp_path) -> None:
    from storage.stories import story_document

    config = DedupConfig()  # the 7-day window
    engine = make_engine(f"sqlite:///{tmp_path / 'republished.db'}", writer=True)
    migrate(engine)
    day = datetime(2020, 5, 1, tzinfo=UTC)
    republished = ORIGINAL.replace("Thursday", "Friday") + "\nFirst published in 2020."
    with session_scope(engine) as session:
        first = _store(session, "https://wire.example/a/", ORIGINAL, day, config)
        later = _store(session, "https://archive.example/b/", republished, day + timedelta(days=4 * 365), config)
        assert later.story_id == first.id
        story = story_document(session, first.id)
        assert [c["id"] for c in story["copies"]] == [first.id, later.id]
        assert story["quoted_by"] == []
    engine.dispose()


def test_a_wire_story_with_many_copies_stays_one_story_with_few_links(tmp_path) -> None:
    from sqlalchemy import func, select

    from storage.models import ArticleLink

    config = DedupConfig()
    engine = make_engine(f"sqlite:///{tmp_path / 'wire.db'}", writer=True)
    migrate(engine)
    day = datetime(2024, 5, 1, tzinfo=UTC)
    with session_scope(engine) as session:
        copies = [
            _store(session, f"https://site{n}.example/story/", ORIGINAL + f"\nPublished by site {n}.", day, config)
            for n in range(15)
        ]
        assert {c.story_id for c in copies} == {copies[0].id}
        assert all(0.8 < c.story_similarity <= 1 for c in copies)
        per_article = session.execute(
            select(ArticleLink.article_id, func.count())
            .where(ArticleLink.kind == "copy")
            .group_by(ArticleLink.article_id)
        ).all()
        assert max(n for _, n in per_article) <= 3
    engine.dispose()
