"""Truth file records and writing."""

from __future__ import annotations

from .bank import FIXTURES
from .dates import iso
from .model import Page


def records(comments) -> list[dict]:
    pos = {id(c): i for i, c in enumerate(comments, 1)}
    return [
        {
            "position": i,
            "author": c.author,
            "author_url": c.url,
            "posted": iso(c.when) if c.when is not None else None,
            "text": "\n".join(c.lines()),
            "parent": pos[id(c.parent)] if c.parent is not None else None,
            "site_id": c.site_id,
        }
        for i, c in enumerate(comments, 1)
    ]


def page_entry(p: Page) -> dict:
    return {
        "path": p.path,
        "markup": p.markup,
        "variant": p.variant,
        "timezone": p.tz,
        "fetched_at": p.fetched,
        "encoding": p.encoding,
        "canonical_url": p.url,
        "title": p.art["title"],
        "body_paragraphs": [" ".join(x.split()) for x in p.paras],
        "comments": records(p.comments),
    }


def write(rel: str, text: str, encoding="utf-8"):
    path = FIXTURES / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding, errors="xmlcharrefreplace"))


def truth_file(pages: list, paged: list, paged_page, recrawl: dict) -> dict:
    """expected.json: the pages, the pagination scenario and the recrawl scenario."""
    v1, v2, n1, n2 = recrawl["pages"]
    return {
        "pages": [page_entry(p) for p in pages],
        "pagination": {
            "feed": "pagination/feed.xml",
            "article": "pagination/post/index.html",
            "pages": [q.path for q in paged],
            "canonical_url": paged_page.url,
            "timezone": paged_page.tz,
            "fetched_at": paged_page.fetched,
            "body_paragraphs": page_entry(paged_page)["body_paragraphs"],
            "comments": records(paged_page.comments),
        },
        "recrawl": {
            "canonical_url": v1.url,
            "timezone": v1.tz,
            "v1": v1.path,
            "v1_fetched_at": v1.fetched,
            "v1_comments": records(v1.comments),
            "v2": v2.path,
            "v2_fetched_at": v2.fetched,
            "v2_comments": records(v2.comments),
            "after_both": records(recrawl["after"]),
            "nosid_canonical_url": n1.url,
            "nosid_v1": n1.path,
            "nosid_v1_fetched_at": n1.fetched,
            "nosid_v1_comments": records(n1.comments),
            "nosid_v2": n2.path,
            "nosid_v2_fetched_at": n2.fetched,
            "nosid_v2_comments": records(n2.comments),
            "nosid_after_both": records(recrawl["nosid_after"]),
        },
    }
