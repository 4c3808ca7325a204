"""Each feed polled at its own pace (issue 23): the rules in process, the rows on both
backends, and a dozen simulated hourly runs (CRAWL_NOW) of a fast and a slow feed over
HTTP, with the fast feed listed a second time under another source."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.db import make_engine, prepare_database, session_scope
from storage.polling import (
    NOT_MODIFIED,
    EntryState,
    PollConfig,
    PollResult,
    duplicate_entries,
    is_due,
    load_entry_states,
    next_interval,
    next_polls,
    record_poll,
)
from tests.conftest import run_cli, run_scrapy, stored_articles
from tests.fixture_server import FixtureServer
from tests.news_sites import Site

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
CONFIG = PollConfig(min_interval=timedelta(minutes=10), max_interval=timedelta(days=1))


def state(**kw: object) -> EntryState:
    fields: dict = {
        "url": "https://a.example/feed",
        "kind": "feed",
        "first_polled_at": T0,
        "last_polled_at": T0,
        "next_due_at": T0 + timedelta(hours=1),
        "interval": timedelta(hours=1),
        "last_new_at": T0,
        "outcome": "ok",
        "failures": 0,
        "max_links": 10,
        "etag": None,
        "last_modified": None,
    }
    return EntryState(**{**fields, **kw})


def test_the_interval_follows_how_often_new_links_appear() -> None:
    assert next_interval(None, PollResult(T0, links=10, new_links=10), CONFIG) == CONFIG.min_interval
    # Two new links in four hours: a link every two hours, polled every hour.
    four_hours = PollResult(T0 + timedelta(hours=4), new_links=2)
    assert next_interval(state(), four_hours, CONFIG) == timedelta(hours=1)
    # Quiet for six hours: not before another six.
    quiet = PollResult(T0 + timedelta(hours=6), outcome=NOT_MODIFIED)
    assert next_interval(state(), quiet, CONFIG) == timedelta(hours=6)
    # Within the bounds, whatever happened.
    assert next_interval(state(), PollResult(T0 + timedelta(minutes=1), new_links=50), CONFIG) == CONFIG.min_interval
    assert next_interval(state(), PollResult(T0 + timedelta(days=9)), CONFIG) == CONFIG.max_interval
    # Due a tenth of its interval early: cron starts runs a little early or late.
    assert is_due(state(), T0 + timedelta(minutes=55))
    assert not is_due(state(), T0 + timedelta(minutes=50))
    assert is_due(None, T0)


def test_polls_are_recorded_and_read_back(db_url: str) -> None:
    engine = make_engine(db_url, writer=True)
    prepare_database(engine)
    with session_scope(engine) as session:
        result = PollResult(T0, links=5, new_links=5, etag='"v1"', http_status=200)
        record_poll(session, "a", "https://a.example/feed", "feed", result, None, CONFIG)
        record_poll(session, "b", "http://a.example/feed/?utm_source=b", "feed", result, None, CONFIG)
    with session_scope(engine) as session:
        states = load_entry_states(session, ["a", "b"])
        first = states["a"]["https://a.example/feed"]
        assert (first.etag, first.max_links, first.next_due_at) == ('"v1"', 5, T0 + CONFIG.min_interval)
        # A 304 an hour later keeps the validators and backs off; a failure counts.
        later = PollResult(T0 + timedelta(hours=1), outcome=NOT_MODIFIED, http_status=304)
        record_poll(session, "a", first.url, "feed", later, first, CONFIG)
        tracked = "http://a.example/feed/?utm_source=b"
        failed = PollResult(T0 + timedelta(hours=1), outcome="http_404", http_status=404)
        record_poll(session, "b", tracked, "feed", failed, states["b"][tracked], CONFIG)
        assert next_polls(session)["a"] == T0 + timedelta(hours=2)
        (duplicate,) = duplicate_entries(session)
        assert {d["source"] for d in duplicate["listed"]} == {"a", "b"}
    with session_scope(engine) as session:
        again = load_entry_states(session, ["a", "b"])
        assert again["a"][first.url].etag == '"v1"' and again["a"][first.url].outcome == NOT_MODIFIED
        assert again["b"]["http://a.example/feed/?utm_source=b"].failures == 1, "a failed poll counts"
    engine.dispose()


@pytest.mark.slow
def test_a_dozen_hourly_runs_poll_the_fast_feed_every_run_and_the_slow_one_a_few_times(
    tmp_path: Path, sqlite_url: str
) -> None:
    root = tmp_path / "www"
    fast, slow = Site(root, "hourly"), Site(root, "weekly")
    for days in (9, 6, 3):  # the slow blog's past
        slow.publish(T0 - timedelta(days=days))
    fast.publish(T0 - timedelta(minutes=30))
    # The same feed again under another source, as http and with a tracking parameter.
    mirror = (
        fast.source_toml()
        .replace('name = "hourly"', 'name = "mirror"')
        .replace('feeds = ["hourly/feed.xml"]', 'feeds = ["hourly/feed.xml?utm_source=mirror"]')
    )
    (root / "sources.toml").write_text(fast.source_toml() + slow.source_toml() + mirror, encoding="utf-8")
    polled: dict[str, list[int]] = {"hourly": [], "weekly": []}
    with FixtureServer(root) as server:
        for hour in range(12):
            now = T0 + timedelta(hours=hour)
            if hour:
                fast.publish(now - timedelta(minutes=20))
            if hour == 6:
                slow.publish(now - timedelta(minutes=20))
            server.requests.clear()
            result = run_scrapy(
                "crawl", "news", "-a", f"sources={root / 'sources.toml'}", "-a", f"base_url={server.base_url}",
                "-s", f"NEWSDEDUP_DATABASE_URL={sqlite_url}", "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", "POLL_ENABLED=True", "-s", f"CRAWL_NOW={now.isoformat()}",
            )  # fmt: skip
            assert result.returncode == 0, result.stderr[-3000:]
            for name, hours in polled.items():
                if any(path.startswith(f"/{name}/feed.xml") for path in server.requests):
                    hours.append(hour)
            feeds = [path for path in server.requests if path.startswith("/hourly/feed.xml")]
            assert len(feeds) <= 1, "listed twice, fetched once"
        statuses = [status for path, status in server.responses if path == "/weekly/feed.xml"]

    assert polled["hourly"] == list(range(12))
    assert 3 <= len(polled["weekly"]) <= 6, polled
    assert 304 in statuses, "a due feed is asked with the validators of its last response"
    stored = {article["title"] for article in stored_articles(sqlite_url)}
    assert {post.title for post in fast.posts + slow.posts} <= stored, "no new article missed"

    sources = run_cli("sources", "--db", sqlite_url, "--json")
    assert "listed 2 times" in sources.stderr and "utm_source=mirror" in sources.stderr
    rows = {row["source"]: row for row in map(json.loads, sources.stdout.splitlines())}
    assert rows["weekly"]["next_poll"] > rows["hourly"]["next_poll"]
    known = run_cli("known", "weekly", "--entries", "--db", sqlite_url, "--json")
    (entry,) = map(json.loads, known.stdout.splitlines())
    assert entry["next_due_at"] and entry["interval_seconds"] >= 3600
