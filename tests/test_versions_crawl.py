"""What changed, end to end (issue 24): a crawl of the local HTTP server whose article is
edited between runs, and a reprocess after an extraction change, through the CLI."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli, run_scrapy
from tests.fixture_server import FixtureServer

# Every test here runs Scrapy and the CLI in subprocesses: the slow tier.
pytestmark = pytest.mark.slow

EVERYTHING_IN_WINDOW = "36500"  # days: the fixture posts are 2005-2014
HEADLINE = "Iraqi Insurgents Turn Guns on Al Qaeda"
NEW_HEADLINE = "Iraqi Insurgents Turn Their Guns on Al Qaeda Fighters"
NEW_PARAGRAPH = "Update, June 14: a Marine spokesman said the fighting in Husaybah went on through Monday night."


@pytest.fixture
def live_copy(tmp_path: Path) -> Iterator[tuple[FixtureServer, Path]]:
    root = tmp_path / "www"
    shutil.copytree(FIXTURES / "sites", root / "sites")
    shutil.copy(FIXTURES / "sources.toml", root / "sources.toml")
    with FixtureServer(root) as server:
        yield server, root


def crawl(server: FixtureServer, root: Path, db: str, *extra: str) -> None:
    server.responses.clear()
    result = run_scrapy(
        "crawl", "news", "-a", f"sources={root / 'sources.toml'}", "-a", f"base_url={server.base_url}",
        "-s", f"NEWSDEDUP_DATABASE_URL={db}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", f"REFRESH_WINDOW_DAYS={EVERYTHING_IN_WINDOW}", *extra,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]


def json_lines(*args: str) -> list[dict]:
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_an_edited_article_recrawled_has_two_versions_and_its_diff(live_copy, db_url: str) -> None:
    server, root = live_copy
    crawl(server, root, db_url)
    page = next(root.glob("sites/outsidethebeltway/20*/*/*/index.html"))
    path = "/" + str(page.relative_to(root))
    (article,) = [a for a in json_lines("articles", "--source", "outsidethebeltway", "--db", db_url, "--json")]

    # On the server: the headline reworded, a paragraph added, Sgt Fluffy's comment deleted.
    html = page.read_text(encoding="utf-8").replace(HEADLINE, NEW_HEADLINE)
    last = "should be able to unite against foreign terrorists who are killing their own.</p>"
    html = html.replace(last, f"{last}\n<p>{NEW_PARAGRAPH}</p>", 1)
    html, deleted = re.subn(r'<li class="comment odd alt thread-odd alt depth-1" id="comment-19881">.*?</li>\n', "",
                            html, count=1, flags=re.S)  # fmt: skip
    assert deleted == 1
    page.write_text(html, encoding="utf-8")
    crawl(server, root, db_url)
    assert (path, 200) in server.responses

    (history,) = json_lines("history", str(article["id"]), "--db", db_url, "--json")
    assert [v["title"] for v in history["versions"]] == [HEADLINE, NEW_HEADLINE]
    (change,) = history["changes"]
    assert (change["changed"], change["origin"], change["edit"]) == (["text", "title"], "crawl", True)
    assert change["title"] == {"old": HEADLINE, "new": NEW_HEADLINE}
    assert [(op["op"], op["new"].strip()) for op in change["text"] if op["op"] != "equal"] == [
        ("insert", NEW_PARAGRAPH)
    ]
    assert [(c["author"], bool(c["removed_at"])) for c in history["comments_removed"]] == [("Sgt Fluffy", True)]
    shown = run_cli("history", str(article["id"]), "--db", db_url)
    assert shown.returncode == 0, shown.stderr
    assert NEW_PARAGRAPH[:40] in " ".join(shown.stdout.split()) and "Sgt Fluffy" in shown.stdout
    (edited,) = json_lines("articles", "--edited", "--db", db_url, "--json")
    assert (edited["id"], edited["edits"], edited["changed"]) == (article["id"], 1, ["text", "title"])
    (shown,) = json_lines("show", str(article["id"]), "--db", db_url, "--json")
    assert (shown["versions"], shown["comments_removed"]) == (2, 1)

    # Unchanged since: a 304, and still two versions.
    crawl(server, root, db_url)
    assert (path, 304) in server.responses
    (again,) = json_lines("history", str(article["id"]), "--db", db_url, "--json")
    assert len(again["versions"]) == 2 and again["comments_removed"] == history["comments_removed"]
    (exported,) = json_lines("export", "articles", "--versions", "--source", "outsidethebeltway", "--db", db_url)
    assert [v["title"] for v in exported["versions"]] == [HEADLINE]


def test_reprocess_after_an_extraction_change_is_no_edit(live_copy, sqlite_url: str, tmp_path: Path) -> None:
    server, root = live_copy
    crawl(server, root, sqlite_url, "-s", f"WARC_DIR={tmp_path / 'warcs'}")
    # A new extraction rule for captainsjournal: its posts' closing paragraph goes.
    sources = tmp_path / "sources.toml"
    rule = "author_xpath = \"//div[@class='byline']/a[contains(@href, '/author/')]\"\n"
    rules = (root / "sources.toml").read_text(encoding="utf-8")
    assert rule in rules
    prune = "prune_xpath = [\"//div[@class='entry']/p[last()]\"]\n"
    sources.write_text(rules.replace(rule, rule + prune), encoding="utf-8")
    result = run_cli("reprocess", "--sources", str(sources), "--db", sqlite_url)
    assert result.returncode == 0, result.stderr
    reprocessed = [a for a in json_lines("articles", "--source", "captainsjournal", "--db", sqlite_url, "--json")]
    (history,) = json_lines("history", str(reprocessed[0]["id"]), "--db", sqlite_url, "--json")
    (change,) = history["changes"]
    assert (change["changed"], change["origin"], change["edit"]) == (["text"], "reprocess", False)
    assert [op["op"] for op in change["text"] if op["op"] != "equal"] == ["delete"]
    assert history["comments_removed"] == []
    assert json_lines("articles", "--edited", "--db", sqlite_url, "--json") == []
