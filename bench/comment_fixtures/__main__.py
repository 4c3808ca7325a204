"""Generate the labeled comment-parsing fixtures in fixtures/comments/.

python -m bench.comment_fixtures
"""

from __future__ import annotations

import importlib
import json
import sys

from .check import check_page, check_pagination
from .pages_base import PAGES
from .pagination import build_pagination
from .recrawl import build_recrawl
from .truth import truth_file, write

# The page modules register their pages in PAGES on import; this is the page order.
PAGE_MODULES = ("pages_wordpress", "pages_posted_by", "pages_said", "pages_blogger", "pages_schema", "pages_fallback")


def main() -> int:
    for name in PAGE_MODULES:
        importlib.import_module(f"{__package__}.{name}")
    pages = [build() for build in PAGES]
    paged, paged_page, feed = build_pagination()
    recrawl = build_recrawl()

    for p in pages + paged + recrawl["pages"]:
        write(p.path, p.html, p.encoding)
    write("pagination/feed.xml", feed)

    truth = truth_file(pages, paged, paged_page, recrawl)
    write("expected.json", json.dumps(truth, ensure_ascii=False, indent=1) + "\n")

    problems: list[str] = []
    for p in pages + recrawl["pages"]:
        check_page(p, problems)
    check_pagination(paged, paged_page, problems)
    counts: dict[str, int] = {}
    for p in pages:
        counts[p.markup] = counts.get(p.markup, 0) + 1
    if len(pages) < 36 or len(counts) < 8 or min(counts.values()) < 4:
        problems.append(f"not enough pages: {counts}")
    for problem in problems:
        print("PROBLEM:", problem, file=sys.stderr)
    n_comments = sum(len(p.comments) for p in pages)
    print(
        f"{len(pages)} pages, {n_comments} comment records; by markup: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; pagination {len(paged_page.comments)}, recrawl {len(recrawl['after'])}+{len(recrawl['nosid_after'])}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
