"""Source health: for each crawled source, one status and a reason a person can act on.

From the source's recent runs (the per-source counts the crawl records, see
crawler/source_stats.py), its entry points' last polls (storage/polling.py) and its
articles, compared with its own history:

- ``blocked``: most of the last run's requests refused (401/403/429/503), one page served
  for many URLs (a challenge, login or consent page), or robots.txt disallowing them;
- ``failing_feed``: a feed, sitemap or section page answering an error, no feed or
  sitemap at all (an HTML page), looping or endless, or empty where it listed links;
- ``broken_extraction``: pages fetched but not stored as articles, bodies much shorter,
  titles, authors or comments gone, against the source's earlier runs (a layout change);
- ``silent``: no new article for several times the source's usual interval;
- ``ok``.

The most severe problem is the status; all are listed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Article, CrawlRun, Source
from storage.polling import EMPTY, SUCCESSES, entry_rows, next_polls
from storage.types import iso

OK, BLOCKED, FAILING_FEED, BROKEN, SILENT = "ok", "blocked", "failing_feed", "broken_extraction", "silent"
# Most severe first: a blocked source's feed fails and its pages are not articles too.
STATUSES = (BLOCKED, FAILING_FEED, BROKEN, SILENT, OK)
REFUSALS = (401, 403, 429, 503)
_KIND_WORDS = {"login": "a login page", "challenge": "a bot challenge page", "consent": "a cookie-consent page"}


@dataclass(frozen=True, slots=True)
class HealthConfig:
    """The thresholds."""

    recent_runs: int = 2  # the runs that read articles, compared with the ones before them
    history_runs: int = 30
    runs_scanned: int = 200
    blocked_share: float = 0.5
    same_body_min: int = 3
    shorter: float = 0.5  # bodies under this share of their usual length
    silent_factor: float = 4.0
    silent_min: timedelta = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Problem:
    status: str
    reason: str


@dataclass(slots=True)
class SourceHealth:
    source: str
    problems: list[Problem] = field(default_factory=list)
    last_run: int | None = None
    last_run_at: datetime | None = None
    newest_article: datetime | None = None
    usual_interval: timedelta | None = None

    @property
    def status(self) -> str:
        return min((p.status for p in self.problems), key=STATUSES.index, default=OK)

    @property
    def reason(self) -> str:
        return "; ".join(p.reason for p in self.problems if p.status == self.status)

    def document(self) -> dict[str, Any]:
        interval = self.usual_interval
        return {
            "source": self.source,
            "status": self.status,
            "reason": self.reason,
            "problems": [{"status": p.status, "reason": p.reason} for p in self.problems],
            "last_run": self.last_run,
            "last_run_at": iso(self.last_run_at),
            "newest_article": iso(self.newest_article),
            "usual_interval_hours": round(interval.total_seconds() / 3600, 2) if interval else None,
        }


def source_health(
    session: Session, now: datetime | None = None, config: HealthConfig | None = None, source: str | None = None
) -> list[SourceHealth]:
    """Every source a `news` crawl has read (or one), by name."""
    now, config = now or datetime.now(UTC), config or HealthConfig()
    runs = _runs_by_source(session, config.runs_scanned)
    entries: dict[str, list[Any]] = defaultdict(list)
    for name, row in entry_rows(session, source):
        entries[name].append(row)
    names = set(runs) | set(entries)
    result = []
    for name in sorted(names & {source} if source else names):
        health = SourceHealth(name)
        source_runs = runs.get(name, [])
        if source_runs:
            health.last_run, health.last_run_at = source_runs[0][0], source_runs[0][1]
        if blocked := _blocked(source_runs, config):
            health.problems.append(blocked)
        for row in entries[name]:
            if row.outcome in _KIND_WORDS:  # a feed answering a login, consent or challenge page
                health.problems.append(Problem(BLOCKED, f"{row.kind} {row.detail}: the site turns the crawler away"))
            elif reason := _failing(row):
                health.problems.append(Problem(FAILING_FEED, reason))
        health.problems += _broken(source_runs, config)
        dates = _publication_dates(session, name, now)
        health.newest_article = dates[0] if dates else None
        health.usual_interval = _usual_interval(dates)
        if silent := _silent(dates, health.usual_interval, now, config):
            health.problems.append(silent)
        result.append(health)
    return result


def _runs_by_source(session: Session, limit: int) -> dict[str, list[tuple[int, datetime, dict[str, Any]]]]:
    """Per source, the finished `news` runs that counted something for it, newest first."""
    stmt = (
        select(CrawlRun.id, CrawlRun.started_at, CrawlRun.per_source)
        .where(CrawlRun.spider == "news", CrawlRun.finished_at.is_not(None))
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    runs: dict[str, list[tuple[int, datetime, dict[str, Any]]]] = defaultdict(list)
    for run_id, started, per_source in session.execute(stmt):
        for name, counts in (per_source or {}).items():
            runs[name].append((run_id, started, counts))
    return runs


def _statuses(counts: dict[str, Any]) -> dict[int, int]:
    return {int(k[5:]): v for k, v in counts.items() if k.startswith("http_") and k[5:].isdigit()}


def _blocked(runs: list[tuple[int, datetime, dict[str, Any]]], config: HealthConfig) -> Problem | None:
    """From the last run that requested anything of the source (a source that recovered is ok)."""
    requested = ((run_id, c, _statuses(c)) for run_id, _, c in runs)
    latest = next(((i, c, st) for i, c, st in requested if st or c.get("robots_disallowed")), None)
    if latest is None:
        return None
    run_id, counts, statuses = latest
    robots = counts.get("robots_disallowed", 0)
    total = sum(statuses.values()) + robots
    refused = {code: n for code, n in statuses.items() if code in REFUSALS}
    if sum(refused.values()) >= config.blocked_share * total:
        codes = ", ".join(f"{n} × {code}" for code, n in sorted(refused.items()))
        return Problem(
            BLOCKED,
            f"{sum(refused.values())} of {total} requests refused in run {run_id} ({codes}): the site turns the "
            "crawler away (its user agent, request rate or address); slow down (DOWNLOAD_DELAY) or ask the site",
        )
    same, served = counts.get("same_body", 0), statuses.get(200, 0)
    if same >= config.same_body_min and same >= config.blocked_share * served:
        kinds = {kind: counts.get(f"same_body_{kind}", 0) for kind in _KIND_WORDS}
        kind = max(kinds, key=kinds.__getitem__)
        what = _KIND_WORDS[kind] if kinds[kind] else "a challenge, login or consent page"
        return Problem(
            BLOCKED,
            f"{same} of {served} URLs answered 200 with one and the same page in run {run_id}: "
            f"{what} served in place of the site's pages",
        )
    if robots and robots >= config.blocked_share * total:
        return Problem(
            BLOCKED, f"robots.txt disallows {robots} of {total} requests in run {run_id}: the article paths are closed"
        )
    return None


def _failing(row: Any) -> str | None:
    what = f"{row.kind} {row.url}"
    if row.outcome == EMPTY and row.max_links:
        return f"{what} lists no links now (it listed up to {row.max_links})"
    if row.outcome in SUCCESSES:
        return None
    if row.outcome.startswith("http_"):
        said = f"answers {row.outcome[5:]}"
    elif row.outcome.startswith("error:"):
        said = f"fails: {row.detail or row.outcome}"
    else:
        said = row.detail or row.outcome
    repeated = f" ({row.failures} polls in a row)" if row.failures > 1 else ""
    return f"{what}: {said}{repeated}" if not said.startswith(row.url) else f"{row.kind} {said}{repeated}"


def _sums(runs: list[dict[str, Any]]) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for counts in runs:
        for key, value in counts.items():
            if isinstance(value, int | float):
                total[key] += int(value)
                if key.startswith("dropped_"):
                    total["dropped"] += int(value)
    return total


def _broken(runs: list[tuple[int, datetime, dict[str, Any]]], config: HealthConfig) -> list[Problem]:
    """The last runs that read articles against the runs before them."""
    reading = [c for _, _, c in runs if c.get("articles_extracted", 0) or any(k.startswith("dropped_") for k in c)]
    if not reading:
        return []
    recent = _sums(reading[: config.recent_runs])
    before = _sums(reading[config.recent_runs : config.recent_runs + config.history_runs])
    problems = [problem] if (problem := _not_stored(recent, before)) else []
    read, read_before = recent["articles_extracted"], before["articles_extracted"]
    if read < 2 or read_before < 3:
        return problems
    words, words_before = recent["words"] / read, before["words"] / read_before
    if words < config.shorter * words_before:
        shorter = f"{1 - words / words_before:.0%} shorter"
        said = f"articles of the last runs have {words:.0f} words against {words_before:.0f} before ({shorter})"
        problems.append(Problem(BROKEN, f"{said}: the body is no longer found where it was"))
    for key, what in (("no_title", "title"), ("no_authors", "author")):
        if recent[key] >= 0.5 * read and before[key] <= 0.1 * read_before:
            said = f"no {what} on {recent[key]} of {read} articles of the last runs"
            problems.append(Problem(BROKEN, f"{said} (before: {before[key]} of {read_before})"))
    had = before["with_comments"]
    if had >= 0.3 * read_before and not recent["with_comments"] and read >= 3:
        said = f"no reader comments read on the last {read} articles; before, {had} of {read_before} had them"
        problems.append(Problem(BROKEN, said))
    return problems


def _not_stored(recent: dict[str, int], before: dict[str, int]) -> Problem | None:
    """Most pages fetched as articles were dropped, where before most were stored (or,
    with no history, none was)."""
    read, dropped = recent["articles_extracted"], recent["dropped"]
    fetched_before = before["articles_extracted"] + before["dropped"]
    if read + dropped < 3 or dropped < 0.5 * (read + dropped):
        return None
    if fetched_before >= 3:
        if dropped / (read + dropped) - before["dropped"] / fetched_before < 0.3:
            return None
        earlier = f"; before, {before['dropped']} of {fetched_before}"
    elif read:
        return None
    else:
        earlier = ""
    reasons = ", ".join(f"{k[8:]} {v}" for k, v in sorted(recent.items()) if k.startswith("dropped_"))
    return Problem(
        BROKEN,
        f"{dropped} of {read + dropped} pages fetched as articles in the last runs were not stored ({reasons})"
        f"{earlier}: has the page layout changed? (a [source.extract] rule, then newsdedup reprocess)",
    )


def _publication_dates(session: Session, source: str, now: datetime, limit: int = 40) -> list[datetime]:
    stmt = (
        select(Article.published_at)
        .join(Source, Article.source_id == Source.id)
        .where(Source.name == source, Article.published_at.is_not(None), Article.published_at <= now)
        .order_by(Article.published_at.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def _usual_interval(dates: list[datetime]) -> timedelta | None:
    """The median time between the source's latest publications, three gaps at least.

    Equal times are left out: a site that prints dates only puts a day's articles at
    midnight, and a median of zero would call it silent by the next afternoon.
    """
    gaps = [gap for newer, older in pairwise(dates) if (gap := newer - older)]
    return timedelta(seconds=statistics.median(gap.total_seconds() for gap in gaps)) if len(gaps) >= 3 else None


def _silent(dates: list[datetime], interval: timedelta | None, now: datetime, config: HealthConfig) -> Problem | None:
    if interval is None:
        return None
    quiet = now - dates[0]
    if quiet <= max(config.silent_factor * interval, config.silent_min):
        return None
    said = f"no new article for {_duration(quiet)} (the newest: {dates[0]:%Y-%m-%d})"
    return Problem(SILENT, f"{said}; it usually publishes every {_duration(interval)}")


def _duration(span: timedelta) -> str:
    hours = span.total_seconds() / 3600
    if hours >= 48:
        return f"{hours / 24:.0f} days"
    if hours >= 2:
        return f"{hours:.0f} hours"
    return f"{span.total_seconds() / 60:.0f} minutes"


def with_health(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`sources` rows with each source's health status and reason, and its next poll."""
    healths = {h.source: h for h in source_health(session)}
    due = next_polls(session)
    for row in rows:
        found = healths.get(row["source"])
        row["health"] = found.status if found else None
        row["health_reason"] = found.reason if found else None
        row["next_poll"] = iso(due.get(row["source"]))
    return rows
