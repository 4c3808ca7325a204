"""Source health (issue 23): the rules on recorded runs and polls, in process; then one
source per way a source breaks, crawled four times from the local HTTP server with the
break halfway, and `newsdedup health` naming each."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from prometheus_client.parser import text_string_to_metric_families

from cli.health import health as health_command
from storage.db import make_engine, prepare_database, session_scope
from storage.health import source_health
from storage.models import CrawlRun
from storage.polling import PollConfig, PollResult, load_entry_states, record_poll
from tests.conftest import run_cli, run_scrapy
from tests.fixture_server import FixtureHandler, FixtureServer
from tests.news_sites import Site

CHALLENGE = (
    b"<!doctype html><html><head><title>Just a moment...</title></head><body><h1>Checking your browser"
    b" before accessing the site.</h1><p>Please enable JavaScript and cookies to continue.</p></body></html>"
)
CONSENT = (
    b"<!doctype html><html><head><title>Your privacy choices</title></head><body><h1>We value your privacy</h1>"
    b"<p>We and our partners store cookies on your device.</p><button>Accept all</button><button>Reject all"
    b"</button></body></html>"
)


class RuleHandler(FixtureHandler):
    server: RuleServer

    def _get(self) -> None:
        for prefix, (status, body) in self.server.rules.items():
            if self.path.startswith(prefix):
                self.server.requests.append(self.path)
                self.server.responses.append((self.path, status))
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
        super()._get()


class RuleServer(FixtureServer):
    """The fixture server, with rules a test switches between runs: every URL under a
    prefix answers one status and body (403 everywhere, 429, a challenge page)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.rules: dict[str, tuple[int, bytes]] = {}
        self.RequestHandlerClass = lambda *a: RuleHandler(*a, directory=str(root))  # type: ignore[assignment]


def crawl(server: FixtureServer, root: Path, db: str, *settings: str) -> subprocess.CompletedProcess[str]:
    result = run_scrapy(
        "crawl", "news", "-a", f"sources={root / 'sources.toml'}", "-a", f"base_url={server.base_url}",
        "-s", f"NEWSDEDUP_DATABASE_URL={db}", "-s", "AUTOTHROTTLE_ENABLED=False",
        # A 429 is retried, quickly: the test is about what stays refused.
        "-s", "RETRY_BACKOFF_BASE=0.02", *(part for s in settings for part in ("-s", s)),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def health(db: str, *args: str) -> tuple[int, dict[str, dict]]:
    result = run_cli("health", "--db", db, "--json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, {row["source"]: row for row in map(json.loads, result.stdout.splitlines())}


def test_recorded_runs_and_polls_make_each_status(db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    engine = make_engine(db_url, writer=True)
    prepare_database(engine)
    t0 = datetime(2026, 3, 2, tzinfo=UTC)
    earlier = {"articles_extracted": 4, "words": 1600, "no_title": 0, "no_authors": 0, "with_comments": 3}
    later = {"articles_extracted": 4, "words": 1500, "no_title": 4, "no_authors": 0, "with_comments": 0}
    history = [
        {"closed": {"http_200": 4}, "retitled": earlier, "recovered": {"http_503": 3}},
        {"closed": {"http_200": 4}, "retitled": earlier, "recovered": {"http_503": 3}},
        {"closed": {"http_200": 1, "robots_disallowed": 6}, "retitled": later, "recovered": {"http_200": 3}},
        {"closed": {"http_200": 1, "robots_disallowed": 6}, "retitled": later, "recovered": {"http_200": 3}},
    ]
    config = PollConfig(timedelta(minutes=10), timedelta(days=1))
    with session_scope(engine) as session:
        for n, per_source in enumerate(history):
            at = t0 + timedelta(hours=n)
            run = CrawlRun(spider="news", status="finished", started_at=at, finished_at=at, per_source=per_source)
            session.add(run)
        feed = "https://emptied.example/feed"
        record_poll(session, "emptied", feed, "feed", PollResult(t0, links=5, new_links=5), None, config)
        prior = load_entry_states(session, ["emptied"])["emptied"][feed]
        record_poll(session, "emptied", feed, "feed", PollResult(t0 + timedelta(hours=1)), prior, config)
    with session_scope(engine) as session:
        found = {h.source: h for h in source_health(session, now=t0 + timedelta(hours=5))}
    assert {name: h.status for name, h in found.items()} == {
        "closed": "blocked",
        "retitled": "broken_extraction",
        "recovered": "ok",
        "emptied": "failing_feed",
    }
    assert "robots.txt disallows 6 of 7 requests" in found["closed"].reason
    assert "no title on 8 of 8 articles" in found["retitled"].reason
    assert "no reader comments" in found["retitled"].reason
    assert "lists no links now (it listed up to 5)" in found["emptied"].reason

    # The command: --fail-on decides the exit status; the metrics file has each status.
    metrics = tmp_path / "health.prom"
    health_command(db=db_url, source="recovered", fail_on="blocked", metrics_file=metrics, as_json=True)
    with pytest.raises(typer.Exit) as failed:
        health_command(db=db_url, source=None, fail_on="silent,failing_feed", metrics_file=None, as_json=True)
    assert failed.value.exit_code == 1
    with pytest.raises(typer.Exit) as wrong:
        health_command(db=db_url, source=None, fail_on="sad", metrics_file=None, as_json=True)
    assert wrong.value.exit_code == 2
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["source"] for row in printed][:1] == ["recovered"]
    (family,) = [f for f in text_string_to_metric_families(metrics.read_text()) if f.name == "newsdedup_source_health"]
    assert {s.labels["status"]: s.value for s in family.samples}["ok"] == 1
    engine.dispose()


@pytest.mark.slow
def test_health_tells_blocked_broken_silent_and_failing_sources_apart(tmp_path: Path, db_url: str) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    root = tmp_path / "www"
    publishing = ("forbidden", "ratelimited", "challenge", "consent", "template", "gone", "healthy")
    sites = {name: Site(root, name) for name in (*publishing, "stopped")}
    for name in publishing:  # an article an hour before the runs
        for hours in (6, 5, 4, 3):
            sites[name].publish(now - timedelta(hours=hours))
    for days in range(20, 9, -1):  # a daily blog that stopped ten days ago
        sites["stopped"].publish(now - timedelta(days=days, hours=1))
    (root / "sources.toml").write_text("".join(site.source_toml() for site in sites.values()), encoding="utf-8")
    metrics = tmp_path / "metrics" / "newsdedup.prom"
    metrics.parent.mkdir()

    with RuleServer(root) as server:
        server.rules["/ratelimited/"] = (429, b"")
        for run in range(4):
            if run == 2:  # halfway, each source breaks its own way (or recovers)
                del server.rules["/ratelimited/"]
                server.rules["/forbidden/"] = (403, b"<h1>Forbidden</h1>")
                server.rules["/challenge/"] = (200, CHALLENGE)
                server.rules["/consent/"] = (200, CONSENT)  # a consent wall in front of every URL
                sites["template"].change_template()
                (sites["gone"].folder / "feed.xml").unlink()
            for name in publishing:
                if not (name == "gone" and run >= 2):
                    sites[name].publish(now - timedelta(minutes=40 - run))
            crawl(server, root, db_url, f"METRICS_FILE={metrics}")
            if run == 1:
                _, before = health(db_url, "--source", "ratelimited")
                assert before["ratelimited"]["status"] == "blocked" and "429" in before["ratelimited"]["reason"]
            if run == 2:  # the challenge page answered the feed and the articles refreshed with it
                _, challenged = health(db_url, "--source", "challenge")
                assert challenged["challenge"]["status"] == "blocked"
                assert "one and the same page" in challenged["challenge"]["reason"], challenged
                assert "a bot challenge page" in challenged["challenge"]["reason"]

    code, rows = health(db_url)
    assert code == 1, "a source not ok: non-zero exit for cron and monitoring"
    statuses = {name: row["status"] for name, row in rows.items()}
    assert statuses == {
        "forbidden": "blocked",
        "ratelimited": "ok",
        "challenge": "blocked",
        "consent": "blocked",
        "template": "broken_extraction",
        "stopped": "silent",
        "gone": "failing_feed",
        "healthy": "ok",
    }, rows
    assert "403" in rows["forbidden"]["reason"]
    assert "challenge/feed.xml: a challenge page ('Just a moment...')" in rows["challenge"]["reason"]
    assert "consent/feed.xml: a consent page ('Your privacy choices')" in rows["consent"]["reason"]
    assert "words" in rows["template"]["reason"]
    assert "10 days" in rows["stopped"]["reason"] and "every 24 hours" in rows["stopped"]["reason"]
    assert "404" in rows["gone"]["reason"] and "gone/feed.xml" in rows["gone"]["reason"]
    assert health(db_url, "--source", "healthy")[0] == 0
    # `newsdedup sources` shows the same status in its health column.
    listed = run_cli("sources", "--db", db_url, "--json")
    assert {row["source"]: row["health"] for row in map(json.loads, listed.stdout.splitlines())} == statuses

    families = {family.name: family for family in text_string_to_metric_families(metrics.read_text())}
    assert families["newsdedup_run_success"].samples[0].value == 1
    refused = {
        (s.labels["source"], s.labels["status"]): s.value for s in families["newsdedup_source_http_responses"].samples
    }
    assert refused[("forbidden", "403")] >= 1 and ("healthy", "403") not in refused
    # Where the store's time went, by step: every article of the run was written.
    written = {s.labels["step"]: s.value for s in families["newsdedup_store_step_count"].samples}
    assert written["write"] >= 1 and written["commit"] >= 1
    assert {s.labels["step"] for s in families["newsdedup_store_step_seconds"].samples} >= {"write", "link"}
    assert not list(metrics.parent.glob("*.prom.*")), "written to a temporary file, then renamed"
