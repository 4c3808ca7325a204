"""Scoring for bench/realworld.py, as trafilatura's evaluation does it: a labeled segment
is found when it occurs in the text (white space folded on both sides)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


def fold(text: str | None) -> str:
    return " ".join((text or "").split())


@dataclass
class PageScore:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0
    false_comments: int = 0  # `with` segments found in a comment record
    comment_segments: int = 0
    comments_found: int = 0  # comment segments found in comment records
    comments_in_html: int = 0  # comment segments the saved page holds at all
    comments_found_in_html: int = 0
    comments_in_body: int = 0
    title: tuple[int, int] = (0, 0)  # right, labeled
    author: tuple[int, int] = (0, 0)  # pages labeled with authors
    no_author: tuple[int, int] = (0, 0)  # pages labeled as crediting nobody: right when none is stored
    date: tuple[int, int] = (0, 0)
    skipped: str | None = None

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def segment_score(page: PageScore, truth: dict, body: str, comments: list[str]) -> None:
    text, comment_text = fold(body), fold("\n".join(comments))
    for segment in map(fold, truth.get("with") or []):
        if segment in text:
            page.tp += 1
        else:
            page.fn += 1
        page.false_comments += bool(comment_text) and segment in comment_text
    for segment in map(fold, truth.get("without") or []):
        if segment in text:
            page.fp += 1
        else:
            page.tn += 1


def comment_score(page: PageScore, truth: dict, body: str, comments: list[str], on_page: list[bool]) -> None:
    text, comment_text = fold(body), fold("\n".join(comments))
    for segment, in_html in zip(map(fold, truth.get("comments") or []), on_page, strict=True):
        found = segment in comment_text
        page.comment_segments += 1
        page.comments_found += found
        page.comments_in_html += in_html
        page.comments_found_in_html += found and in_html
        page.comments_in_body += segment in text


_NAME_SPLIT = re.compile(r"\s*(?:;|,|&|/|\band\b|\bund\b|\bet\b)\s*", re.IGNORECASE)


def squashed(text: str | None) -> str:
    """Case folded, punctuation and spaces squashed: how a title or a name is compared."""
    return "".join(c for c in unicodedata.normalize("NFC", (text or "").casefold()) if c.isalnum())


def author_names(value: str | list[str] | None) -> frozenset[str]:
    """Comparable author names: case, punctuation and "By" prefixes ignored, several names as a set."""
    raw = "; ".join(value) if isinstance(value, list) else value or ""
    names = (re.sub(r"^(?:by|von|posted by:?)\s+", "", n.strip().lower()) for n in _NAME_SPLIT.split(raw))
    return frozenset(key for n in names if (key := squashed(n)))


def metadata_score(page: PageScore, truth: dict, title: str | None, authors: list[str], date: str | None) -> None:
    if truth.get("title"):
        page.title = (int(squashed(title) == squashed(truth["title"])), 1)
    if "author" in truth and truth["author"] is not None:
        if labeled := author_names(truth["author"]):
            page.author = (int(author_names(authors) == labeled), 1)
        else:
            page.no_author = (int(not author_names(authors)), 1)
    if truth.get("date"):
        page.date = (int(same_day(date, truth["date"][:10])), 1)


def same_day(found: str | None, day: str) -> bool:
    """A bare date must be the labeled day. A stored instant (UTC, to the minute) is right
    when it falls on that calendar day somewhere: the labels are the day the site printed,
    in its own zone (UTC-12 to UTC+14), and 23:30 in Lisbon is already tomorrow in UTC."""
    if not found:
        return False
    try:
        instant = datetime.fromisoformat(found)
        start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    except ValueError:  # a label that is no ISO date ("2022-01.26")
        return found[:10] == day
    if len(found) <= 10:
        return found == day
    return start - timedelta(hours=14) <= instant < start + timedelta(hours=36)


@dataclass
class Totals:
    name: str
    pages: list[PageScore] = field(default_factory=list)
    ms: float = 0.0
    peak_rss_mb: float = 0.0

    def add(self, page: PageScore, ms: float, rss_mb: float) -> None:
        self.pages.append(page)
        self.ms += ms
        self.peak_rss_mb = max(self.peak_rss_mb, rss_mb)

    def total(self, name: str) -> int:
        return sum(getattr(p, name) for p in self.pages)

    def accuracy(self, name: str) -> str:
        right, labeled = (sum(getattr(p, name)[i] for p in self.pages) for i in (0, 1))
        return f"{right / labeled:.3f}" if labeled else "-"

    def summary(self) -> dict:
        tp, fn, fp = self.total("tp"), self.total("fn"), self.total("fp")
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        segments, in_html = self.total("comment_segments"), self.total("comments_in_html")
        return {
            "system": self.name,
            "pages": len(self.pages),
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0,
            "false_comments": self.total("false_comments"),
            "false_comment_pages": sum(1 for p in self.pages if p.false_comments),
            "comment_recall": round(self.total("comments_found") / segments, 3) if segments else None,
            "comment_recall_in_html": round(self.total("comments_found_in_html") / in_html, 3) if in_html else None,
            "comments_in_body": self.total("comments_in_body"),
            "title": self.accuracy("title"),
            "author": self.accuracy("author"),
            "no_author": self.accuracy("no_author"),
            "date": self.accuracy("date"),
            "skipped": sum(1 for p in self.pages if p.skipped),
            "ms_per_page": round(self.ms / max(len(self.pages), 1), 1),
            "peak_rss_mb": round(self.peak_rss_mb),
        }

    @staticmethod
    def header() -> str:
        return (
            f"{'system':<12} {'P':>6} {'R':>6} {'F1':>6} {'false cmt':>9} {'cmt R':>6} {'cmt R html':>10} "
            f"{'cmt in body':>11} "
            f"{'title':>6} {'author':>6} {'no auth':>7} {'date':>6} {'skipped':>7} {'ms/page':>8} {'pages/s':>8} "
            f"{'peak RSS':>9}"
        )

    def row(self) -> str:
        s = self.summary()
        comment_recall = f"{s['comment_recall']:.3f}" if s["comment_recall"] is not None else "-"
        in_html = f"{s['comment_recall_in_html']:.3f}" if s["comment_recall_in_html"] is not None else "-"
        pages_per_s = 1000 / s["ms_per_page"] if s["ms_per_page"] else 0.0
        return (
            f"{s['system']:<12} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} "
            f"{s['false_comments']:>9} {comment_recall:>6} {in_html:>10} {s['comments_in_body']:>11} {s['title']:>6} "
            f"{s['author']:>6} {s['no_author']:>7} {s['date']:>6} {s['skipped']:>7} {s['ms_per_page']:>8.1f} "
            f"{pages_per_s:>8.1f} "
            f"{s['peak_rss_mb']:>7} MB"
        )
