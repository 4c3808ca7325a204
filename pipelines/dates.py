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
    settings = {
        "TIMEZONE": timezone,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "RELATIVE_BASE": now.astimezone(ZoneInfo(timezone)).replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
    }
    parsed = dateparser.parse(text, languages=languages, settings=settings)  # type: ignore[arg-type]
    if parsed is None and languages:
        # Dates are often in the site's language, not the article's (or the guess was wrong).
        parsed = dateparser.parse(text, settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        logger.debug("unparsed date %r", text)
        return None
    # dateparser's own tzinfo classes do not pickle across the worker pool; UTC does.
    return parsed.astimezone(UTC)
