"""Dates: the engines' date formats and relative dates."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from .model import Comment, Page

# --- dates -------------------------------------------------------------------

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt(dt: datetime, pattern: str) -> str:
    """Format with named fields, independent of the C locale: {MMMM} {d}, {yyyy} at {h}:{mm} {a}."""
    h12 = dt.hour % 12 or 12
    return pattern.format(
        MMMM=MONTHS[dt.month - 1],
        MMM=MONTHS[dt.month - 1][:3],
        MM=f"{dt.month:02d}",
        M=str(dt.month),
        dd=f"{dt.day:02d}",
        d=str(dt.day),
        do=ordinal(dt.day),
        yyyy=str(dt.year),
        yy=f"{dt.year % 100:02d}",
        HH=f"{dt.hour:02d}",
        H=str(dt.hour),
        hh=f"{h12:02d}",
        h=str(h12),
        mm=f"{dt.minute:02d}",
        ss=f"{dt.second:02d}",
        a="am" if dt.hour < 12 else "pm",
        A="AM" if dt.hour < 12 else "PM",
        EEEE=WEEKDAYS[dt.weekday()],
        EEE=WEEKDAYS[dt.weekday()][:3],
    )


# The comment date formats, as engines and themes print them.
F_WP = "{MMMM} {d}, {yyyy} at {h}:{mm} {a}"  # June 13, 2005 at 10:42 am
F_WP_ORDINAL = "{MMMM} {do}, {yyyy} at {h}:{mm} {a}"  # June 13th, 2009 at 10:42 am
F_EU_LONG = "{d} {MMMM} {yyyy}, {HH}:{mm}"  # 21 March 2008, 09:41
F_YMD = "{yyyy}-{MM}-{dd} {HH}:{mm}"  # 2014-07-02 15:43
F_MINX = "{MMMM} {dd}, {yyyy} {hh}:{mm} {A}"  # July 02, 2014 03:43 PM
F_MT = "{MMMM} {d}, {yyyy} {h}:{mm} {A}"  # March 21, 2008 6:26 AM
F_TYPEPAD = "{MMM} {d}, {yyyy} {h}:{mm}:{ss} {A}"  # Mar 21, 2008 9:41:07 AM
F_TYPEPAD_UK = "{dd} {MMMM} {yyyy} at {HH}:{mm}"  # 21 December 2011 at 09:41
F_BLOGGER = "{M}/{dd}/{yyyy} {h}:{mm} {A}"  # 7/02/2014 3:43 PM
F_BLOGGER_YY = "{M}/{d}/{yy} {h}:{mm} {A}"  # 11/14/07 9:05 PM
F_BLOGGER_UK = "{dd} {MMMM}, {yyyy} {HH}:{mm}"  # 02 July, 2009 15:43
F_BLOGGER_NEW = "{MMMM} {d}, {yyyy} at {h}:{mm} {A}"  # July 2, 2014 at 3:43 PM
F_BLOGGER_INTL = "{d} {MMMM} {yyyy} at {HH}:{mm}"  # 2 July 2017 at 15:43
F_NUMBERED = "{MMMM} {d}, {yyyy}, {h}:{mm} {A}"  # June 13, 2005, 10:42 AM
F_SAID_SHORT = "{MMM} {d}, {yyyy} at {h}:{mm} {a}"  # Sep 18, 2017 at 2:46 pm
F_UK_NUM = "{dd}/{MM}/{yyyy} {HH}:{mm}"  # 09/01/2022 18:30 (day first!)
F_SHORT_EU = "{d} {MMM} {yyyy}, {HH}:{mm}"  # 9 Jan 2022, 18:30
F_US_SHORT = "{MMM} {d}, {yyyy} {h}:{mm} {a}"  # Jan 9, 2022 6:30 pm
F_WEEKDAY = "{EEE} {dd} {MMM} {yyyy} {HH}:{mm}"  # Wed 02 Jul 2014 15:43
F_DATE = "{MMMM} {d}, {yyyy}"  # May 3, 2021 (only next to a machine-readable time)
F_MONTH_DAY_TIME = "{d} {MMM}, {h}:{mm} {a}"  # 16 Feb, 7:05 pm (year only in the meta)


def local(tz: str, *args) -> datetime:
    return datetime(*args, tzinfo=ZoneInfo(tz))


_NUM = {"a": 1, "an": 1, "one": 1}


def resolve_relative(text: str, fetched: datetime, tz: ZoneInfo) -> datetime:
    """The instant a relative date stands for, seen from ``fetched``.

    Minutes and hours are elapsed time. Days, weeks, months and years are calendar
    arithmetic on the local wall clock (same local time of day), re-localized in ``tz``.
    "yesterday/today at h:mm am" is that local time on the local calendar day.
    """
    now = fetched.astimezone(tz)
    m = re.fullmatch(r"(\d+|an?) (minute|hour)s? ago", text)
    if m:
        n = _NUM.get(m[1]) or int(m[1])
        return (fetched - timedelta(**{m[2] + "s": n})).astimezone(tz)
    m = re.fullmatch(r"(\d+|an?) (day|week|month|year)s? ago", text)
    if m:
        n = _NUM.get(m[1]) or int(m[1])
        wall = now.replace(tzinfo=None) - relativedelta(**{m[2] + "s": n})
        return wall.replace(tzinfo=tz)
    m = re.fullmatch(r"(\d+) years?, (\d+) months? ago", text)
    if m:
        wall = now.replace(tzinfo=None) - relativedelta(years=int(m[1]), months=int(m[2]))
        return wall.replace(tzinfo=tz)
    m = re.fullmatch(r"(yesterday|today) at (\d+):(\d\d) (am|pm)", text)
    if m:
        day = now.date() - timedelta(days=1 if m[1] == "yesterday" else 0)
        hour = int(m[2]) % 12 + (12 if m[4] == "pm" else 0)
        return datetime(day.year, day.month, day.day, hour, int(m[3]), tzinfo=tz)
    raise ValueError(f"unknown relative date {text!r}")


def set_relative(p: Page, c: Comment, text: str):
    c.shown = text
    c.when = resolve_relative(text, p.fetched_dt, p.zone)


def show_all(comments, pattern):
    for c in comments:
        if c.when is not None and c.shown is None:
            c.shown = fmt(c.when, pattern)


def z(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso(dt: datetime) -> str:
    return dt.isoformat()


def ms(dt: datetime) -> int:
    return int(dt.timestamp()) * 1000
