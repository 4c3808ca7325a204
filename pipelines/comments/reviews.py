"""Customer reviews that a review widget writes into the page, read as the product page's
reader comments: Judge.me, the review app of many Shopify shops.

Judge.me renders each review as div.jdgm-rev[data-review-id] holding a header (the
rating, span.jdgm-rev__timestamp with the UTC time in data-content, the author as the
shop chose to show it, often initials) and div.jdgm-rev__content (b.jdgm-rev__title,
div.jdgm-rev__body); the shop's answer follows in div.jdgm-rev__reply.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pipelines.comments.markup import THREAD_MARK, RawComment, block_text, first_text, has_class, without

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_JUDGEME_ITEMS = f"//div[{has_class('jdgm-rev')}][@data-review-id]"
_UTC_STAMP = re.compile(r"^(\d{4}-\d\d-\d\d) (\d\d:\d\d(?::\d\d)?) UTC$")


def _part(item: HtmlElement, name: str) -> str:
    nodes = item.xpath(f".//*[{has_class(name)}]")
    return block_text(without(nodes[0])) if nodes else ""


def judgeme(tree: HtmlElement) -> list[RawComment]:
    """Judge.me reviews, each with the shop's reply (when it wrote one) as its answer."""
    comments = []
    for item in tree.xpath(_JUDGEME_ITEMS):
        item.set(THREAD_MARK, "")  # a customer's review is never the shop's article text
        stamp = first_text(item, f".//*[{has_class('jdgm-rev__timestamp')}]/@data-content") or ""
        parts = (_part(item, "jdgm-rev__title"), _part(item, "jdgm-rev__body"))
        comments.append(
            RawComment(
                text="\n".join(part for part in parts if part),
                author=first_text(item, f".//*[{has_class('jdgm-rev__author')}]"),
                # "2020-02-21 15:23:13 UTC", as ISO 8601 for the machine-date reader.
                machine_date=_UTC_STAMP.sub(r"\1T\2+00:00", stamp) or None,
                site_id=item.get("data-review-id"),
            )
        )
        if reply := _part(item, "jdgm-rev__reply-content"):
            comments.append(
                RawComment(
                    text=reply,
                    author=first_text(item, f".//*[{has_class('jdgm-rev__replier')}]"),
                    parent_index=len(comments) - 1,
                )
            )
    return comments
