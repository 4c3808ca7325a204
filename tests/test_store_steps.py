"""The store's named steps: each step's count and time reach the crawl's stats and its run
record (`newsdedup runs --json`), a fleet's workers added up. Counts are asserted, never
timings (only that each is a time)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from cli import app
from pipelines.store_steps import STEPS
from storage.db import make_engine, prepare_database, session_scope
from storage.runs import leave_run
from tests.conftest import run_cli, store_items
from tests.test_boilerplate import item, story
from tests.test_runs import worker


def runs_json(url: str) -> list[dict[str, Any]]:
    """`newsdedup runs --json`, newest run first."""
    result = CliRunner().invoke(app, ["runs", "--json", "--db", url])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def counts(steps: dict[str, dict[str, float]]) -> dict[str, float]:
    assert all(numbers["ms"] >= 0 for numbers in steps.values())
    return {step: numbers["count"] for step, numbers in steps.items()}


def test_every_step_of_a_crawl_is_counted_in_its_stats_and_run(sqlite_url: str) -> None:
    # Six articles of one source sharing an appeal and a bio: from the third on they are
    # its boilerplate, so texts change after signing (sign) and earlier ones are cleaned
    # and linked again (link counts them).
    pipeline = store_items(sqlite_url, [item(n, story(n)) for n in range(6)])
    [run] = runs_json(sqlite_url)
    assert list(run["steps"]) == list(STEPS), "in the order they run"
    steps = counts(run["steps"])
    assert all(steps[step] == 6 for step in ("boilerplate", "write", "comments", "frontier"))
    assert steps["sign"] > 0 and steps["link"] > 6
    assert steps["lock_wait"] == steps["commit"] == 1  # six articles, one transaction
    stats = pipeline.stats.get_stats()
    assert {step: stats[f"store/step/{step}/count"] for step in STEPS} == steps
    # The same as a table: a row per step, with its time per article written.
    shown = CliRunner().invoke(app, ["runs", "--steps", "--db", sqlite_url])
    assert shown.exit_code == 0, shown.output
    assert [line.split("│")[1].strip() for line in shown.output.splitlines() if "│" in line] == list(STEPS)
    assert all(stats[f"store/step/{step}/ms"] >= 0 for step in STEPS)


def test_steps_that_do_not_apply_count_nothing(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'news.db'}"
    articles = [item(n, f"Story {n} is short and has no boilerplate.") for n in range(3)]
    for each in articles:
        each.source = None  # saved pages: no source's frontier
    pipeline = store_items(url, articles, {"DEDUP_ENABLED": False, "STORE_COMMIT_EVERY": 2})
    steps = counts(runs_json(url)[0]["steps"])
    assert steps == {
        "lock": 0,  # SQLite: one writer at a time, no key locks
        "lock_wait": 2,
        "boilerplate": 3,
        "write": 3,
        "comments": 3,
        "sign": 0,
        "link": 0,
        "frontier": 0,
        "commit": 2,
    }
    assert pipeline.stats.get_value("store/step/link/count") == 0


@pytest.mark.postgres
def test_a_fleet_runs_steps_are_its_workers_added_up(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(pg_url, writer=True)
    prepare_database(engine)
    first, run_id = worker(engine, monkeypatch, "host:1", "steps")
    second, _ = worker(engine, monkeypatch, "host:2", "steps")
    for name, n in (("host:1", 2), ("host:2", 3)):
        monkeypatch.setattr("storage.runs.this_worker", lambda name=name: name)
        steps = {"write": {"count": n, "ms": 1.5 * n}, "link": {"count": n - 1, "ms": 0.5}}
        with session_scope(engine) as session:
            leave_run(session, run_id, "finished", {"a": {"pages_fetched": n}}, steps)
    first.close()
    second.close()
    engine.dispose()
    [run] = runs_json(pg_url)
    assert run["status"] == "finished"
    assert run["steps"] == {"write": {"count": 5, "ms": 7.5}, "link": {"count": 3, "ms": 1.0}}
    assert run["per_source"]["a"]["pages_fetched"] == 5


@pytest.mark.slow
def test_an_import_shows_its_steps_in_runs_json(imported_fixtures: str) -> None:
    result = run_cli("runs", "--json", "--db", imported_fixtures)
    assert result.returncode == 0, result.stderr
    [run] = [json.loads(line) for line in result.stdout.splitlines()]
    steps = counts(run["steps"])
    articles = sum(source["articles_new"] for source in run["per_source"].values())
    assert articles > 0
    assert all(steps[step] == articles for step in ("boilerplate", "write", "comments", "frontier"))
    # Dedup is on: each article is linked; none of the fixtures' texts lose boilerplate
    # after signing, so none is signed again.
    assert steps["link"] >= articles and steps["sign"] >= 0
    assert steps["lock_wait"] >= 1 and steps["commit"] >= 1
