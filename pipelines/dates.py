"""Date handling shared by the extractor and the comment parsers."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import dateparser

logger = logging.getLogger(__name__)


def localize(value: datetime, timezone: str) -> datetime:
    """Attach the site's timezone to a wall-clock time the page gave without one."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=ZoneInfo(timezone))


def parse_page_date(text: str, *, timezone: str, now: datetime, languages: list[str] | None = None) -> datetime | None:
    """Parse a date as blogs print it ("July 02, 2014 03:43 PM", "14 years, 3 months ago").

    Relative dates are resolved against ``now`` (the fetch time), and times without
    an offset are taken in the site's ``timezone``.
    """
    text = " ".join(text.split())
    if not text:
        return None
    zone = ZoneInfo(timezone)
    settings = {
        # Naive wall-clock time in the site's zone (converted there if the text names
        # another zone); zoneinfo then attaches the offset in force on that day.
        # dateparser's own aware results reuse the offset of the fetch time, which is an
        # hour off for "14 years, 3 months ago" across daylight saving time.
        "TIMEZONE": timezone,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": now.astimezone(zone).replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
    }
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    if parsed is None and languages:
        # Dates are often in the site's language, not the article's (or the guess was wrong).
        parsed = dateparser.parse(text, settings=settings)
    if parsed is None:
        logger.debug("unparsed date %r", text)
        return None
    # UTC pickles across the worker pool; dateparser's and zoneinfo's tzinfo need not.
    return parsed.replace(tzinfo=zone).astimezone(UTC)


def parse_machine_date(value: str, timezone: str) -> datetime | None:
    """An ISO 8601 time (a missing offset means the site's zone) or epoch milliseconds."""
    value = value.strip()
    if value.isdigit() and len(value) >= 12:
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return localize(moment, timezone).astimezone(UTC)
