"""Quote links users can trust: shared boilerplate never links, quotes show their passages,
and the quoter is the later (or, undated, the one the passage is a smaller part of)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from faker.providers.lorem.en_US import Provider as Lorem
from rich.console import Console
from sqlalchemy import select

from cli.render import render_story
from pipelines.dedup import DedupConfig, StoryLinker, make_signature
from pipelines.dedup.passages import boilerplate_shingles, shared_runs
from pipelines.dedup.text import shingle_hashes, winnow
from storage.db import make_engine, migrate, session_scope
from storage.models import ArticleLink
from storage.queries import upsert_article
from storage.records import ArticleFields
from storage.stories import story_document

BLOCK = (
    "Support independent local journalism. Become a member today and get unlimited access to every story, "
    "our weekly newsletter with the best reporting from across the region, invitations to member events and "
    "an ad-free reading experience. Memberships start at five dollars a month and can be cancelled at any time."
)
DAY = datetime(2024, 5, 14, tzinfo=UTC)


def prose(seed: int, words: int) -> str:
    """Text no other seed shares five words in a row with."""
    rng = random.Random(seed)
    return " ".join(rng.choice(Lorem.word_list) for _ in range(words)) + "."


def store(session, linker: StoryLinker, url: str, text: str, published: datetime | None):
    fields = ArticleFields(url=url, canonical_url=url, text=text, published_at=published, fetched_at=DAY)
    article, _ = upsert_article(session, url.split("/")[2], fields)
    linker.link(session, article, make_signature(text, linker.config))
    return article


def engine_for(tmp_path, name: str):
    engine = make_engine(f"sqlite:///{tmp_path / name}", writer=True)
    migrate(engine)
    return engine


@pytest.mark.slow
def test_a_block_shared_across_sites_links_nothing_and_a_real_quote_shows_its_passages(tmp_path) -> None:
    linker = StoryLinker(DedupConfig())
    engine = engine_for(tmp_path, "block.db")
    with session_scope(engine) as session:
        # Ten unrelated articles on ten sites end in one membership block; for the short
        # ones the block is 40% of the text. The first holders meet while the block is
        # still rare in the index; once it is common their links must go.
        holders = [
            store(session, linker, f"https://site{n}.example/a/", f"{prose(n, 60 if n % 3 else 300)}\n{BLOCK}",
                  DAY + timedelta(hours=n))
            for n in range(10)
        ]  # fmt: skip
        source = holders[3]  # a long one: the post quotes a third of its own words, not the block
        quoted = " ".join(source.text.split()[:100])
        post = store(
            session, linker, "https://blog.example/p/", f"{prose(99, 80)}\n{quoted}\n{prose(98, 60)}\n{BLOCK}",
            DAY + timedelta(days=1),
        )  # fmt: skip
        links = session.execute(select(ArticleLink.article_id, ArticleLink.target_id, ArticleLink.kind)).all()
        assert links == [(post.id, source.id, "quote")]
        shown = story_document(session, source.id)["quoted_by"]
        assert [q["id"] for q in shown] == [post.id]
        passages = shown[0]["passages"]
        assert passages and all("member" not in p for p in passages)
        assert passages[0].startswith(" ".join(quoted.lower().split()[:6]))
        # `newsdedup story` prints them under the quoting post.
        console = Console(record=True, width=200)
        console.print(render_story(story_document(session, source.id)))
        assert passages[0][:40] in console.export_text()
    engine.dispose()


@pytest.mark.slow
def test_the_later_article_quotes_the_earlier_whatever_the_import_order(tmp_path) -> None:
    original = "\n".join(prose(n, 70) for n in range(1, 7))
    quoted = "\n".join(original.split("\n")[2:4])
    post_text = f"{prose(50, 60)}\n{quoted}\n{prose(51, 50)}"
    linker = StoryLinker(DedupConfig())
    engine = engine_for(tmp_path, "direction.db")
    with session_scope(engine) as session:
        # Same day, a few hours apart; the blog is stored first.
        post = store(session, linker, "https://blog.example/2024/05/14/post/", post_text, DAY + timedelta(hours=14))
        wire = store(session, linker, "https://wire.example/2024/05/14/story/", original, DAY + timedelta(hours=9))
        links = session.execute(select(ArticleLink.article_id, ArticleLink.target_id, ArticleLink.kind)).all()
        assert links == [(post.id, wire.id, "quote")]
    engine.dispose()


@pytest.mark.slow
def test_without_times_the_text_the_passage_is_a_smaller_part_of_quotes(tmp_path) -> None:
    brief = "\n".join(prose(n, 60) for n in range(1, 4))
    essay = f"{prose(60, 200)}\n{brief.split(chr(10))[1]}\n{prose(61, 200)}"
    linker = StoryLinker(DedupConfig())
    engine = engine_for(tmp_path, "undated.db")
    with session_scope(engine) as session:
        essay_row = store(session, linker, "https://blog.example/essay/", essay, None)
        brief_row = store(session, linker, "https://wire.example/brief/", brief, None)
        links = session.execute(select(ArticleLink.article_id, ArticleLink.target_id)).all()
        assert links == [(essay_row.id, brief_row.id)]
    engine.dispose()


def test_boilerplate_shingles_cover_the_common_run_only() -> None:
    own, other = prose(1, 120), prose(2, 120)
    ordered = shingle_hashes(f"{own} {BLOCK} {other}", 5)
    common = winnow(shingle_hashes(BLOCK, 5), 20)
    covered = boilerplate_shingles(ordered, 20, common)
    block = set(shingle_hashes(BLOCK, 5))
    assert block <= set(covered.tolist())
    # A window reaching into the block may cover a few of the neighbours' shingles, no more.
    assert len(set(covered.tolist()) - block) < 2 * 20
    assert boilerplate_shingles(ordered, 20, set()).size == 0


def test_shared_runs_are_short_excerpts_in_text_order() -> None:
    first, second = prose(3, 40), prose(4, 30)
    text = f"{first} {prose(5, 50)} {second}"
    shared = np.unique(np.asarray(shingle_hashes(first, 5) + shingle_hashes(second, 5), dtype=np.uint32))
    runs = shared_runs(text, shared, 5)
    assert len(runs) == 2
    assert runs[0].endswith("(40 words)") and " … " in runs[0]
    assert runs[1].startswith(" ".join(second.lower().rstrip(".").split()[:6]))
