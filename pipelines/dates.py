"""Date handling shared by the extractor and the comment parsers."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser.data
from dateparser.date import DateDataParser

logger = logging.getLogger(__name__)

# The languages most pages print their dates in. Asked whether a string is a date with no
# language, dateparser tries each of its ~200 locales, 10-18 ms for a string that is none
# ("Reply 2019", "ARD 1"); over these and the page's own language it takes ~1 ms.
COMMON_DATE_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pt")


def localize(value: datetime, timezone: str) -> datetime:
    """Attach the site's timezone to a wall-clock time the page gave without one."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=ZoneInfo(timezone))


def date_languages(declared: str | None) -> tuple[str, ...]:
    """The page's declared language (``de-CH``, ``pt_BR``) when dateparser reads it, then
    the common ones."""
    language = (declared or "").replace("_", "-").split("-")[0].strip().lower()
    if language not in dateparser.data.language_order:
        return COMMON_DATE_LANGUAGES
    return (language, *(common for common in COMMON_DATE_LANGUAGES if common != language))


def parse_page_date(
    text: str,
    *,
    timezone: str,
    now: datetime,
    languages: Sequence[str] | None = None,
    only_these: bool = False,
) -> datetime | None:
    """Parse a date as blogs print it ("July 02, 2014 03:43 PM", "14 years, 3 months ago").

    Relative dates are resolved against ``now`` (the fetch time), and times without
    an offset are taken in the site's ``timezone``. A text the ``languages`` do not read
    is tried in every language, unless ``only_these``.
    """
    text = " ".join(text.split())
    if not text:
        return None
    zone = ZoneInfo(timezone)
    base = now.astimezone(zone).replace(tzinfo=None)
    parsed = _parser(tuple(languages or ()), timezone, base).get_date_data(text).date_obj
    if parsed is None and languages and not only_these:
        # Dates are often in the site's language, not the article's (or the guess was wrong).
        parsed = _parser((), timezone, base).get_date_data(text).date_obj
    if parsed is None:
        logger.debug("unparsed date %r", text)
        return None
    # UTC pickles across the worker pool; dateparser's and zoneinfo's tzinfo need not.
    return parsed.replace(tzinfo=zone).astimezone(UTC)


@lru_cache(maxsize=32)
def _parser(languages: tuple[str, ...], timezone: str, base: datetime) -> DateDataParser:
    """A dateparser reading in ``languages``, the first that reads a text winning
    ("07.04.2020" is the 7th of April in German, whatever English makes of it); none: in
    every language it has. Kept, as a new one compiles its locales' patterns again (most
    of a parse's time): the comments of one page share their fetch time."""
    settings = {
        # Naive wall-clock time in the site's zone (converted there if the text names
        # another zone); zoneinfo then attaches the offset in force on that day.
        # dateparser's own aware results reuse the offset of the fetch time, which is an
        # hour off for "14 years, 3 months ago" across daylight saving time.
        "TIMEZONE": timezone,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "past",
    }
    if not languages:
        return DateDataParser(settings=settings)
    return DateDataParser(languages=list(languages), settings=settings, use_given_order=True)


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
