"""Scheduled runs against a live copy of the fixture sites on 127.0.0.1: what each run
fetches (from the server's own log), what it stores, kills and overlapping runs."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from storage.db import make_engine, session_scope
from storage.locks import crawl_lock, source_lock_names
from storage.runs import recent_runs
from tests.conftest import FIXTURES, ROOT, comparable, run_cli, run_scrapy, stored_articles
from tests.fixture_server import FixtureServer

# Every test here runs the CLI or Scrapy in a subprocess, or a server: the slow tier.
pytestmark = pytest.mark.slow

EVERYTHING_IN_WINDOW = "36500"  # days: the fixture posts are 2005-2014


@pytest.fixture
def live_copy(tmp_path: Path) -> Iterator[tuple[FixtureServer, Path]]:
    """A copy of the fixture sites that a test may change between runs, served over HTTP."""
    root = tmp_path / "www"
    shutil.copytree(FIXTURES / "sites", root / "sites")
    shutil.copy(FIXTURES / "sources.toml", root / "sources.toml")
    with FixtureServer(root) as server:
        yield server, root


def crawl_args(server: FixtureServer, root: Path, db: str, *extra: str) -> list[str]:
    return [
        "crawl",
        "news",
        "-a",
        f"sources={root / 'sources.toml'}",
        "-a",
        f"base_url={server.base_url}",
        "-s",
        f"NEWSDEDUP_DATABASE_URL={db}",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "LOG_LEVEL=INFO",
        *extra,
    ]


def crawl(server: FixtureServer, root: Path, db: str, *extra: str) -> subprocess.CompletedProcess[str]:
    server.requests.clear()
    server.responses.clear()
    result = run_scrapy(*crawl_args(server, root, db, *extra))
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def article_paths(expected: dict) -> set[str]:
    return {"/" + article["path"] for article in expected["articles"]}


def test_second_run_fetches_feeds_only(live_copy, sqlite_url: str, expected: dict) -> None:
    server, root = live_copy
    crawl(server, root, sqlite_url)
    assert article_paths(expected) <= set(server.requests)
    first = stored_articles(sqlite_url)

    crawl(server, root, sqlite_url)  # default refresh window: the 2005-2014 posts are old
    fetched = set(server.requests)
    assert not fetched & article_paths(expected), "old articles are not fetched again"
    assert not any("index.html" in path and "/20" not in path for path in fetched), "listings are not fetched again"
    for source in expected["feeds"].values():
        assert "/" + source in fetched, "feeds are fetched every run"
    assert stored_articles(sqlite_url) == first


def test_refresh_window_uses_conditional_get(live_copy, sqlite_url: str, expected: dict) -> None:
    server, root = live_copy
    window = ("-s", f"REFRESH_WINDOW_DAYS={EVERYTHING_IN_WINDOW}")
    crawl(server, root, sqlite_url, *window)
    result = crawl(server, root, sqlite_url, *window)
    statuses = {path: status for path, status in server.responses if path in article_paths(expected)}
    assert statuses and set(statuses.values()) == {304}, "unchanged articles answer 304 Not Modified"
    assert "'extract/articles'" not in result.stderr, "a 304 costs no extraction"
    assert f"'newsdedup/not_modified': {len(expected['articles'])}" in result.stderr


def test_new_article_and_new_comments_are_picked_up(live_copy, sqlite_url: str, expected: dict) -> None:
    server, root = live_copy
    window = ("-s", f"REFRESH_WINDOW_DAYS={EVERYTHING_IN_WINDOW}")
    crawl(server, root, sqlite_url, *window)
    before = {a["canonical_url"]: a for a in stored_articles(sqlite_url)}

    # On the server: a reader comments on the Outside the Beltway post, and a new post appears.
    otb = next(root.glob("sites/outsidethebeltway/20*/*/*/index.html"))
    page = otb.read_text(encoding="utf-8")
    new_comment = (
        '<li class="comment even thread-even depth-1" id="comment-20001"><div class="comment-author vcard">'
        '<cite class="fn">Late Reader</cite> <span class="says">says:</span></div>'
        '<div class="comment-meta commentmetadata"><a href="#comment-20001">June 15, 2005 at 9:00 am</a></div>'
        "<p>Coming back to this two days later: the tribes kept it up.</p></li>\n</ol>"
    )
    otb.write_text(
        page.replace("</ol><!-- .commentlist -->", new_comment + "<!-- .commentlist -->", 1), encoding="utf-8"
    )
    antiwar = next(root.glob("sites/antiwar/2014/01/01/*/index.html"))
    fresh = antiwar.parent.parent / "fallujah-follow-up" / "index.html"
    fresh.parent.mkdir()
    fresh.write_text(
        antiwar.read_text(encoding="utf-8")
        .replace("al-qaeda-seizes-parts-of-two-major-iraqi-cities/", "fallujah-follow-up/")
        .replace("Al-Qaeda Seizes Parts of Two Major Iraqi Cities", "Fallujah Fighting Continues Into Second Day"),
        encoding="utf-8",
    )
    feed = root / "sites/antiwar/feed.xml"
    feed.write_text(
        feed.read_text(encoding="utf-8").replace(
            "<item>",
            "<item><title>Fallujah Fighting Continues</title><link>2014/01/01/fallujah-follow-up/index.html</link>"
            "</item>\n<item>",
            1,
        ),
        encoding="utf-8",
    )

    crawl(server, root, sqlite_url, *window)
    fetched_200 = {path for path, status in server.responses if status == 200 and path.endswith(".html")}
    assert fetched_200 == {"/" + str(otb.relative_to(root)), "/" + str(fresh.relative_to(root))}
    after = {a["canonical_url"]: a for a in stored_articles(sqlite_url)}
    assert len(after) == len(before) + 1
    otb_url = next(url for url in after if "outsidethebeltway" in url)
    assert [c["author"] for c in after[otb_url]["comments"]][-1] == "Late Reader"
    assert len(after[otb_url]["comments"]) == len(before[otb_url]["comments"]) + 1
    runs = run_cli("runs", "--db", sqlite_url, "--json")
    latest = json.loads(runs.stdout.splitlines()[0])
    assert latest["status"] == "finished"
    assert latest["per_source"]["antiwar"]["articles_new"] == 1
    assert latest["per_source"]["outsidethebeltway"]["comments_new"] == 1


def children_of(pid: int) -> list[int]:
    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(pid):
            children.append(int(status.parent.name))
    return children


def wait_until_gone(pids: list[int], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() for pid in pids):
            return True
        time.sleep(0.2)
    return False


def test_killed_run_then_normal_run_equals_one_clean_run(tmp_path: Path, sqlite_url: str, expected: dict) -> None:
    root = tmp_path / "www"
    shutil.copytree(FIXTURES / "sites", root / "sites")
    shutil.copy(FIXTURES / "sources.toml", root / "sources.toml")
    clean_db = f"sqlite:///{tmp_path / 'clean.db'}"
    with FixtureServer(root, delay=0.5) as server:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "scrapy",
                # EXTRACT_WORKERS=1: the suite's default is inline (conftest), this test kills workers.
                *crawl_args(server, root, sqlite_url, "-s", "STORE_COMMIT_EVERY=1", "-s", "EXTRACT_WORKERS=1"),
                *("-s", "CONCURRENT_REQUESTS=1"),
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        engine = make_engine(sqlite_url)
        while time.monotonic() < deadline:
            time.sleep(0.2)
            try:
                with engine.connect() as conn:
                    if conn.execute(text("SELECT count(*) FROM articles")).scalar():
                        break
            except OperationalError:  # the schema may not exist yet
                continue
        engine.dispose()
        workers = children_of(process.pid)
        os.kill(process.pid, signal.SIGKILL)  # no cleanup, no commit, like a power loss
        process.wait()
        server.delay = 0  # the delay only made the kill land mid-crawl; the two runs below need none
        assert workers, "the crawl runs its extraction in worker processes"
        assert wait_until_gone(workers), "extraction workers outlive a killed crawl"
        killed_with = len(stored_articles(sqlite_url))
        assert 0 < killed_with < len(expected["articles"]), f"the kill came after {killed_with} articles"
        crawl(server, root, sqlite_url)
        crawl(server, root, clean_db)
    assert comparable(stored_articles(sqlite_url)) == comparable(stored_articles(clean_db))
    engine = make_engine(sqlite_url)
    with session_scope(engine) as session:
        statuses = [run.status for run in reversed(recent_runs(session))]
    engine.dispose()
    assert statuses == ["interrupted", "finished"]


def test_overlapping_runs_are_refused(live_copy, sqlite_url: str) -> None:
    server, root = live_copy
    crawl(server, root, sqlite_url)
    engine = make_engine(sqlite_url)
    with crawl_lock(engine, source_lock_names(["antiwar"])):  # another crawl of one source is running
        result = run_scrapy(*crawl_args(server, root, sqlite_url))
        imported = run_cli("import", "fixtures/", "--db", sqlite_url)
        other_source = run_cli("import", "fixtures/", "--source", "newswire", "--db", sqlite_url)
    engine.dispose()
    assert "another crawl is running on this database (source:antiwar)" in result.stderr
    assert result.returncode != 0
    assert imported.returncode != 0 and "another crawl is running on this database" in imported.stderr
    # Crawls of other sources are not held up.
    assert other_source.returncode == 0, other_source.stderr


def test_known_and_forget(live_copy, sqlite_url: str, expected: dict) -> None:
    server, root = live_copy
    crawl(server, root, sqlite_url)
    listing = run_cli("known", "antiwar", "--json", "--db", sqlite_url)
    outcomes = {json.loads(line)["outcome"] for line in listing.stdout.splitlines()}
    assert outcomes == {"article", "skipped:NotAnArticle"}
    forgotten = run_cli("forget", "antiwar", "--db", sqlite_url)
    assert forgotten.returncode == 0 and "forgot" in forgotten.stderr
    crawl(server, root, sqlite_url)
    antiwar = {"/" + a["path"] for a in expected["articles"] if a["source"] == "antiwar"}
    assert antiwar <= set(server.requests), "a forgotten source is fetched again"
    others = article_paths(expected) - antiwar
    assert not others & set(server.requests)
    assert len(stored_articles(sqlite_url)) == len(expected["articles"])
