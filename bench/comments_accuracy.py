"""How well are reader comments read? Precision and recall of comment records per markup
over the labeled set in fixtures/comments/, and how many words leak between article
bodies and comments.

A record is right when author, time (same minute) and text all match the truth.

    .venv/bin/python -m bench.comments_accuracy
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipelines.analysis import AnalyzeConfig, analyze_page
from pipelines.errors import RejectedPage
from pipelines.page import ExtractRules, FetchedPage
from storage.records import CommentFields

ROOT = Path(__file__).resolve().parent.parent
COMMENTS = ROOT / "fixtures" / "comments"


def squash(text: str | None) -> str:
    return " ".join((text or "").split())


COUNTS = ("expected", "predicted", "right", "parents_right", "comment_words_in_body", "body_words_in_comments")


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    right: int = 0
    parents_right: int = 0
    comment_words_in_body: int = 0
    body_words_in_comments: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in (
            "expected",
            "predicted",
            "right",
            "parents_right",
            "comment_words_in_body",
            "body_words_in_comments",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0


def _minute(value: datetime | str | None) -> str | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(UTC).replace(second=0, microsecond=0).isoformat()


def _signature(author: str | None, posted: datetime | str | None, text: str) -> tuple[str, str | None, str]:
    return squash(author), _minute(posted), squash(text)


def analyze(path: Path, truth: dict) -> tuple[str, list[CommentFields]]:
    page = FetchedPage(path.as_uri(), path.read_bytes(), None, datetime.fromisoformat(truth["fetched_at"]))
    analysis = analyze_page(page, ExtractRules(timezone=truth["timezone"]), AnalyzeConfig())
    return analysis.extraction.text, analysis.comments


def score_page(truth: dict) -> tuple[Score, list[CommentFields]]:
    """Score one labeled page; a page that fails to extract scores zero recall."""
    score = Score(expected=len(truth["comments"]))
    try:
        body, comments = analyze(COMMENTS / truth["path"], truth)
    except RejectedPage as exc:
        score.errors.append(f"{truth['path']}: {exc}")
        return score, []
    score.predicted = len(comments)
    unmatched = {i: _signature(c.author, c.posted_at, c.text) for i, c in enumerate(comments)}
    position_map: dict[int, int] = {}
    for wanted in truth["comments"]:
        signature = _signature(wanted["author"], wanted["posted"], wanted["text"])
        hit = next((i for i, sig in unmatched.items() if sig == signature), None)
        if hit is None:
            score.errors.append(f"{truth['path']}: missed #{wanted['position']} {signature[:2]} {signature[2][:60]!r}")
            continue
        del unmatched[hit]
        score.right += 1
        position_map[wanted["position"]] = comments[hit].position
        if (wanted["parent"] is None and comments[hit].parent is None) or (
            wanted["parent"] is not None and comments[hit].parent == position_map.get(wanted["parent"])
        ):
            score.parents_right += 1
    for sig in unmatched.values():
        score.errors.append(f"{truth['path']}: extra {sig[:2]} {sig[2][:60]!r}")
    flat_body = squash(body)
    comment_lines = [squash(line) for c in truth["comments"] for line in c["text"].split("\n") if len(line) > 25]
    score.comment_words_in_body = sum(len(line.split()) for line in comment_lines if line in flat_body)
    predicted_text = squash(" ".join(c.text for c in comments))
    score.body_words_in_comments = sum(
        len(p.split()) for p in truth.get("body_paragraphs", []) if len(p) > 25 and squash(p) in predicted_text
    )
    return score, comments


def main() -> None:
    truth = json.loads((COMMENTS / "expected.json").read_text(encoding="utf-8"))
    by_markup: dict[str, Score] = defaultdict(Score)
    pages: dict[str, int] = defaultdict(int)
    for page in truth["pages"]:
        score, _ = score_page(page)
        by_markup[page["markup"]].add(score)
        pages[page["markup"]] += 1
    total = Score()
    header = (
        f"{'markup':<18} {'pages':>5} {'records':>7} {'precision':>9} {'recall':>7} {'threads':>7}"
        f" {'leak c→b':>8} {'leak b→c':>8}"
    )
    print(header)
    for markup, score in sorted(by_markup.items()):
        total.add(score)
        threads = score.parents_right / score.right if score.right else 1.0
        print(
            f"{markup:<18} {pages[markup]:>5} {score.expected:>7} {score.precision:>9.3f} {score.recall:>7.3f}"
            f" {threads:>7.3f} {score.comment_words_in_body:>8} {score.body_words_in_comments:>8}"
        )
    threads = total.parents_right / total.right if total.right else 1.0
    print(
        f"{'all':<18} {sum(pages.values()):>5} {total.expected:>7} {total.precision:>9.3f} {total.recall:>7.3f}"
        f" {threads:>7.3f} {total.comment_words_in_body:>8} {total.body_words_in_comments:>8}"
    )
    print("\nleak c→b: comment words found in article bodies; b→c: article words found in comments")
    for error in total.errors[:40]:
        print("  ", error)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "comments_accuracy.json").write_text(
        json.dumps(
            {m: vars(s) | {"precision": s.precision, "recall": s.recall} for m, s in by_markup.items()}, indent=1
        )
    )


if __name__ == "__main__":
    main()
