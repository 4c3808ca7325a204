"""What changed (issue 24), in process on both databases: earlier versions kept on a
change and read back as diffs, new extractions told from edits, comments the site
removed, stories following edits, the migration. End to end: test_versions_crawl.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select, text

from pipelines.dedup import DedupConfig, StoryLinker, make_signature
from pipelines.extract import Extraction
from pipelines.items import ArticleItem
from pipelines.page import FetchedPage
from pipelines.store import history_config
from pipelines.write import store_article, whole_thread
from storage import textdelta
from storage.db import make_engine, migrate, session_scope
from storage.history import edited_articles, history_document, version_summary, with_versions
from storage.models import Article, ArticleVersion, Comment
from storage.queries import merge_comments, upsert_article
from storage.records import ArticleFields, CommentFields, WarcLocation
from storage.search import ArticleFilter
from storage.versions import CRAWL, IMPORT, REPROCESS, HistoryConfig

T0 = datetime(2024, 5, 1, 8, tzinfo=UTC)
URL = "https://news.example/2024/05/council-budget/"
PARAGRAPHS = [
    f"Paragraph {n}: council member {name} said the {topic} budget needs another review before "
    f"Thursday's vote, according to three people who were in the room when it was discussed."
    for n, (name, topic) in enumerate(
        [("Alvarez", "harbour"), ("Brandt", "schools"), ("Chen", "roads"), ("Dumas", "library"), ("Eze", "parks")]
    )
]
TEXT = "\n".join(PARAGRAPHS)
ADDED = "Update: the vote was moved to Friday after the mayor asked for a day to read the harbour report."


@pytest.fixture
def engine(db_url: str) -> Iterator:
    engine = make_engine(db_url, writer=True)
    migrate(engine)
    yield engine
    engine.dispose()


def fields(text: str = TEXT, hours: float = 0, **kw) -> ArticleFields:
    kw.setdefault("title", "Council delays budget vote")
    kw.setdefault("authors", ["Ana Reyes"])
    kw.setdefault("published_at", T0 - timedelta(hours=2))
    return ArticleFields(url=URL, canonical_url=URL, text=text, fetched_at=T0 + timedelta(hours=hours), **kw)


def count_versions(session) -> int:
    return session.scalar(select(func.count()).select_from(ArticleVersion))


def test_text_delta_round_trips_and_survives_cleaning() -> None:
    old, new = TEXT, "\n".join([*PARAGRAPHS[:2], ADDED, PARAGRAPHS[2].replace("three", "four"), *PARAGRAPHS[3:]])
    delta = textdelta.encode(old, new)
    assert textdelta.decode(delta, new) == old
    assert len(delta) < len(old.encode()) // 5, "a reference per kept paragraph, the edited one as an edit"
    # The newer text later loses a paragraph that became the source's boilerplate: the
    # earlier text read back loses it too, and nothing else.
    cleaned = new.replace(PARAGRAPHS[4], "").rstrip("\n")
    assert textdelta.decode(delta, cleaned) == "\n".join(PARAGRAPHS[:4])
    for before, after in [("", "x"), ("a\n\nb", "b\n\nc"), ("same", "same"), ("ü" * 300, "")]:
        assert textdelta.decode(textdelta.encode(before, after), after) == before


def test_a_change_keeps_the_state_it_replaces_and_a_refetch_nothing(engine) -> None:
    with session_scope(engine) as session:
        upsert_article(session, "news", fields())
        upsert_article(session, "news", fields(hours=1))
        upsert_article(session, "news", fields(TEXT.replace("  ", " ") + " ", hours=2))  # whitespace only
        assert count_versions(session) == 0
        edited = "\n".join([*PARAGRAPHS[:2], ADDED, *PARAGRAPHS[2:]])
        article, _ = upsert_article(session, "news", fields(edited, hours=3, title="Council moves budget vote"))
        upsert_article(session, "news", fields(edited, hours=4, title="Council moves budget vote"))
        assert count_versions(session) == 1
        assert (article.version, version_summary(session, article)["versions"]) == (2, 2)
        (row,) = session.scalars(select(ArticleVersion))
        assert (row.version, row.changed, row.origin) == (1, "text,title", CRAWL)
        assert (row.fetched_at, row.replaced_at) == (T0 + timedelta(hours=2), T0 + timedelta(hours=3))
        assert row.authors is None and row.published_at is None, "only what changed is stored"


def test_history_shows_each_change_old_to_new_and_the_text_word_by_word(engine) -> None:
    corrected = PARAGRAPHS[1].replace("three people", "two people")
    later = T0 + timedelta(hours=1)
    with session_scope(engine) as session:
        upsert_article(session, "news", fields())
        upsert_article(session, "news", fields("\n".join([*PARAGRAPHS[:3], ADDED, *PARAGRAPHS[3:]]), hours=5))
        newest = "\n".join([PARAGRAPHS[0], corrected, PARAGRAPHS[2], ADDED, *PARAGRAPHS[3:]])
        article, _ = upsert_article(
            session, "news", fields(newest, hours=9, authors=["Ana Reyes", "Bo Li"], published_at=later)
        )
        document = history_document(session, article, "news")
    assert [v["version"] for v in document["versions"]] == [1, 2, 3]
    assert [v["text"] for v in document["versions"]][:2] == [TEXT, "\n".join([*PARAGRAPHS[:3], ADDED, *PARAGRAPHS[3:]])]
    first, second = document["changes"]
    assert (first["changed"], first["origin"], first["edit"]) == (["text"], CRAWL, True)
    assert [op for op in first["text"] if op["op"] != "equal"] == [
        {"op": "insert", "at": first["text"][1]["at"], "new": ADDED + "\n"}
    ]
    assert second["changed"] == ["text", "authors", "published_at"]
    assert second["authors"] == {"old": ["Ana Reyes"], "new": ["Ana Reyes", "Bo Li"]}
    assert second["published_at"] == {"old": (T0 - timedelta(hours=2)).isoformat(), "new": later.isoformat()}
    assert [(op["op"], op.get("old"), op.get("new")) for op in second["text"] if op["op"] != "equal"] == [
        ("replace", "three", "two")
    ]
    assert second["at"] == (T0 + timedelta(hours=9)).isoformat()
    assert second["after"] == (T0 + timedelta(hours=5)).isoformat()


def test_a_new_extraction_is_no_edit(engine) -> None:
    record = WarcLocation("crawl.warc.gz", 1234)
    with session_scope(engine) as session:
        upsert_article(session, "news", fields(warc=record))
        # `newsdedup reprocess` after an extractor change: a title read from elsewhere.
        reprocess = HistoryConfig(origin=REPROCESS)
        upsert_article(session, "news", fields(warc=record, hours=1, title="Council delays vote"), history=reprocess)
        # The same WARC record imported again after an upgrade is no edit either.
        upsert_article(session, "news", fields(warc=record, hours=2, title="Budget"), history=HistoryConfig(IMPORT))
        assert edited_articles(session) == []
        # The publisher's edit, found by a crawl, is.
        article, _ = upsert_article(session, "news", fields(TEXT + "\n" + ADDED, hours=30, title="Budget"))
        assert [row.changed for row in session.scalars(select(ArticleVersion).order_by(ArticleVersion.version))] == [
            "title",
            "title",
            "text",
        ]
        (row,) = edited_articles(session)
        assert (row.id, row.edits, row.changed) == (article.id, 1, ["text"])
        assert row.last_edit == (T0 + timedelta(hours=30)).isoformat()
        # --since selects the time of the edit, other filters the article.
        day = T0 + timedelta(days=1)
        assert edited_articles(session, ArticleFilter(since=day)) == [row]
        assert edited_articles(session, ArticleFilter(until=day)) == []
        assert edited_articles(session, ArticleFilter(source="other")) == []
        assert [c["edit"] for c in history_document(session, article, "news")["changes"]] == [False, False, True]


def test_old_versions_go_beyond_the_limit_and_with_history_off(engine) -> None:
    keep_two = HistoryConfig(max_versions=2)
    with session_scope(engine) as session:
        for n in range(5):
            article, _ = upsert_article(session, "news", fields(f"{TEXT}\nEdit {n}.", hours=n), history=keep_two)
        assert article.version == 5
        assert session.scalars(select(ArticleVersion.version).order_by(ArticleVersion.version)).all() == [3, 4]
        states = history_document(session, article, "news")["versions"]
        assert [s["text"].rsplit("\n", 1)[1] for s in states] == ["Edit 2.", "Edit 3.", "Edit 4."]
        upsert_article(session, "news", fields(TEXT, hours=9), history=HistoryConfig(enabled=False))
        # Their texts were deltas against the text just replaced: unreadable, so dropped.
        assert count_versions(session) == 0
        assert article.version == 6


def test_export_rows_carry_their_versions(engine) -> None:
    with session_scope(engine) as session:
        article, _ = upsert_article(session, "news", fields())
        upsert_article(session, "news", fields(TEXT + "\n" + ADDED, hours=1))
        other, _ = upsert_article(session, "news", ArticleFields(url=URL + "x", canonical_url=URL + "x", text="Short."))
        rows = list(with_versions(session, [{"id": article.id}, {"id": other.id}]))
    assert [len(row["versions"]) for row in rows] == [1, 0]
    assert rows[0]["versions"][0]["text"] == TEXT


def comment(position: int, text: str, author: str, site_id: str | None = None) -> CommentFields:
    return CommentFields(position=position, text=text, markup="wordpress", author=author, site_id=site_id)


def test_comments_gone_from_a_complete_thread_are_marked_removed(engine) -> None:
    a, b, c = comment(1, "First!", "A", "c1"), comment(2, "A reply.", "B", "c2"), comment(3, "Agreed.", "C")
    later = T0 + timedelta(days=1)
    with session_scope(engine) as session:
        article, _ = upsert_article(session, "news", fields())
        merge_comments(session, article, [a, b, c])
        # A part of the thread (a comment page not fetched) marks nothing.
        assert merge_comments(session, article, [a], complete=False).removed == 0
        # A page showing no comment at all (a changed template) marks nothing either.
        assert merge_comments(session, article, [], complete=True).removed == 0
        merged = merge_comments(session, article, [comment(1, "First!", "A", "c1"), c], complete=True, seen_at=later)
        assert (merged.removed, merged.restored) == (1, 0)
        removed = session.scalars(select(Comment).where(Comment.removed_at.is_not(None))).all()
        assert [(x.author, x.removed_at) for x in removed] == [("B", later)]
        assert version_summary(session, article)["comments_removed"] == 1
        gone = history_document(session, article, "news")["comments_removed"]
        assert [(x["author"], x["removed_at"]) for x in gone] == [("B", later.isoformat())]
        # It is shown again (moderation undone): unmarked.
        assert merge_comments(session, article, [a, b, c], complete=True).restored == 1
        assert session.scalar(select(func.count()).where(Comment.removed_at.is_not(None))) == 0


def page_linking(url: str, *pages: int) -> bytes:
    links = "".join(f'<a href="{url}comment-page-{n}/#comments">{n}</a>' for n in pages)
    return f'<html><body><div class="comment-navigation">{links}</div></body></html>'.encode()


def test_a_thread_is_whole_when_every_linked_comment_page_came_with_it() -> None:
    single = ArticleItem(url=URL, body=b"<html><p>No pages.</p></html>", fetched_at=T0)
    assert whole_thread(single)
    first = ArticleItem(url=URL, body=page_linking(URL, 2, 3), fetched_at=T0)
    assert not whole_thread(first), "pages 2 and 3 not fetched (a reprocess, an import, a failed fetch)"
    first.comment_pages = [FetchedPage(f"{URL}comment-page-2/", page_linking(URL, 1, 3), None, T0, 2)]
    assert not whole_thread(first)
    first.comment_pages.append(FetchedPage(f"{URL}comment-page-3/", page_linking(URL, 1, 2), None, T0, 3))
    assert whole_thread(first)
    # Another post's comment pages (a "recent comments" widget) are not this thread's.
    widget = ArticleItem(url=URL, body=page_linking("https://news.example/2024/04/other/", 2), fetched_at=T0)
    assert whole_thread(widget)


def item(url: str, text: str, hours: float, config: DedupConfig) -> ArticleItem:
    article = ArticleItem(url=url, body=b"", fetched_at=T0 + timedelta(hours=hours), source=url.split("/")[2])
    article.extraction = Extraction(text=text, canonical_url=url, title="Budget", published_at=T0)
    article.signature = make_signature(text, config)
    return article


UNRELATED = "\n".join(
    f"Paragraph {n} is about the {topic} instead: the club's season, its new coach and the {topic} ground's "
    f"roof repairs, which the supporters' trust has been raising money for since the spring."
    for n, topic in enumerate(["football", "cricket", "rowing", "tennis", "hockey"])
)


def test_an_edit_that_makes_a_copy_no_copy_moves_it_out_of_the_story_and_back(engine) -> None:
    config = DedupConfig()
    linker = StoryLinker(config)
    original, copy = "https://wire.example/budget/", "https://daily.example/budget/"
    with session_scope(engine) as session:
        wire = store_article(session, item(original, TEXT, 0, config), linker).article
        daily = store_article(session, item(copy, TEXT, 1, config), linker).article
        assert daily.story_id == wire.id
        # The copy's page now carries another story: it leaves the wire story.
        assert store_article(session, item(copy, UNRELATED, 5, config), linker).article.story_id == daily.id
        document = history_document(session, daily, "daily.example")
        assert document["changes"][-1]["story"] == {"old": wire.id, "new": daily.id}
        assert document["story_links"] == []
        # And back: a copy again, linked when the third version was stored.
        store_article(session, item(copy, TEXT + "\n" + ADDED, 9, config), linker)
        assert daily.story_id == wire.id
        document = history_document(session, daily, "daily.example")
        assert document["changes"][-1]["story"] == {"old": daily.id, "new": wire.id}
        (link,) = document["story_links"]
        assert (link["kind"], link["target"]) == ("copy", wire.id) and link["linked_at"]


def test_files_read_by_a_crawl_are_an_import(engine) -> None:
    config = DedupConfig()
    saved = "file:///srv/mirror/budget.html"
    with session_scope(engine) as session:
        store_article(session, item(saved, TEXT, 0, config), None)
        store_article(session, item(saved, TEXT + "\n" + ADDED, 1, config), None)
        assert session.scalar(select(ArticleVersion.origin)) == IMPORT


def test_only_a_new_fetch_can_tell_a_comment_was_removed(engine) -> None:
    config = DedupConfig()
    both = [comment(1, "First!", "A", "c1"), comment(2, "A reply.", "B", "c2")]
    with session_scope(engine) as session:
        first = item(URL, TEXT, 0, config)
        first.comments = both
        store_article(session, first, None)
        # Reprocessed with a comment parser that now misses one: not the site's doing.
        reread = item(URL, TEXT, 1, config)
        reread.comments = both[:1]
        assert store_article(session, reread, None, history=HistoryConfig(origin=REPROCESS)).comments.removed == 0
        reread.fetched_at = T0 + timedelta(hours=2)
        stored = store_article(session, reread, None)
        assert stored.comments.removed == 1 and "1 comments removed by the site" in stored.summary


def test_history_settings_and_each_spiders_origin() -> None:
    settings = get_crawler(settings_dict={"HISTORY_MAX_VERSIONS": 3, "HISTORY_ENABLED": False}).settings
    assert history_config(settings, "news") == HistoryConfig(enabled=False, max_versions=3, origin=CRAWL)
    defaults = get_crawler().settings
    assert history_config(defaults, "reprocess") == HistoryConfig(origin=REPROCESS)
    assert [history_config(defaults, name).origin for name in ("warc", "pages", None)] == [IMPORT, IMPORT, CRAWL]


def test_the_migration_upgrades_a_database_with_data(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, "0009")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO sources (name, created_at) VALUES ('s', '2024-01-01 00:00:00+00:00')"))
        conn.execute(
            text(
                "INSERT INTO articles (source_id, url, canonical_url, url_key, authors, fetched_at, updated_at,"
                " categories, tags, text, word_count, content_hash, version) VALUES (1, 'u', 'u', 'u', '[]',"
                " '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00', '[]', '[]', 'Old text.', 2, 'h', 2)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO comments (article_id, comment_key, position, text, markup, first_seen_at)"
                " VALUES (1, 'k', 1, 'Hi.', 'wordpress', '2024-01-01 00:00:00+00:00')"
            )
        )
    migrate(engine)
    with session_scope(engine) as session:
        article = session.get(Article, 1)
        assert version_summary(session, article) == {"versions": 1, "version": 2, "comments_removed": 0}
        upsert_article(session, "s", ArticleFields(url="u", canonical_url="u", text="New text.", fetched_at=T0))
        assert [s["text"] for s in history_document(session, article, "s")["versions"]] == ["Old text.", "New text."]
    engine.dispose()
