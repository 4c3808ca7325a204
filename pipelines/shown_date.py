"""The date a page prints beside its headline ("Posted on 3. Mai 2014", "05.02.2020 -
Redaktion: …", "June 13, 2019"), for pages whose metadata states no publication time.

htmldate's guess (trafilatura's) is right on four pages of five of those; the date a
reader sees under the headline is the page's own word, so it comes first. Only a whole
date counts (day, month and year), read in the text that follows the headline (its
byline and meta line), outside navigation, sidebars and teasers.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from lxml.etree import XPath

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from pipelines.regions import PageLayout

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "jan january januar jänner janvier enero gennaio janeiro",
            "feb february februar février fevrier febrero febbraio fevereiro",
            "mar march märz maerz mars marzo março",
            "apr april avril abril aprile",
            "may mai mayo maggio maio",
            "jun june juni juin junio giugno junho",
            "jul july juli juillet julio luglio julho",
            "aug august août aout agosto",
            "sep sept september septembre septiembre settembre setembro",
            "oct october oktober okt octobre octubre ottobre outubro",
            "nov november novembre noviembre novembro",
            "dec december dezember dez décembre decembre diciembre dicembre dezembro",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# dd.mm.yyyy (and dd.mm.yy), yyyy-mm-dd, "3. Mai 2014", "3 de mayo de 2014", "May 3, 2014".
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)?\d{2})(?![\d.]*\d)")
_ISO = re.compile(r"(?<!\d)((?:19|20)\d{2})-(\d{2})-(\d{2})(?!\d)")
_DAY_MONTH = re.compile(
    rf"(?<!\d)(\d{{1,2}})\.?\s+(?:de\s+)?({_MONTH})\.?,?\s+(?:de\s+)?((?:19|20)\d{{2}})(?!\d)", re.I
)
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{{2}})(?!\d)", re.I)
# The headline's byline and meta line lie within these many text nodes after it.
_FOLLOWING = XPath("following::text()[normalize-space()][position() <= 40]")
_NEAR_BEFORE = XPath("preceding::text()[normalize-space()][position() <= 6]")
_MAX_LINE_CHARS = 100


def first_date(text: str) -> date | None:
    """The first whole date written in the text, or None."""
    found: list[tuple[int, date]] = []
    for pattern, order in ((_NUMERIC, "dmy"), (_ISO, "ymd"), (_DAY_MONTH, "dMy"), (_MONTH_DAY, "Mdy")):
        for match in pattern.finditer(text):
            if (day := _date(match.groups(), order)) is not None:
                found.append((match.start(), day))
                break
    return min(found)[1] if found else None


def _date(groups: tuple[str, ...], order: str) -> date | None:
    values = dict(zip(order, groups, strict=True))
    month = _MONTHS.get(values["M"].lower().rstrip(".")) if "M" in values else int(values["m"])
    year = int(values["y"])
    year = year + 2000 if year < 100 else year
    try:
        return date(year, month or 0, int(values["d"]))
    except ValueError:
        return None


def shown_date(
    headline: HtmlElement | None, layout: PageLayout, timezone: str, fetched_at: datetime
) -> datetime | None:
    """The date printed right after (or just before) the headline, as midnight in the
    site's zone in UTC; None when the page prints none there."""
    if headline is None:
        return None
    texts = [*_FOLLOWING(headline), *reversed(_NEAR_BEFORE(headline))]
    for text in texts:
        element = text.getparent()
        # A byline or meta line is short; a long text is the article's own words.
        if len(text.strip()) > _MAX_LINE_CHARS or element is None or element.tag in ("script", "style"):
            continue
        if layout.around_article(element):
            continue
        if (day := first_date(str(text))) is not None and day.year >= 1990 and day <= fetched_at.date():
            moment = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(timezone))
            return moment.astimezone(UTC)
    return None
