"""A thread the structural fallback found, read whole: its blocks, the replies they nest,
and the blocks of the same shape further down the page (replies listed in a box of
their own, the comments under each answer of a Q&A page).
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

from pipelines.comments.markup import RawComment, nearest, without_nodes
from pipelines.comments.reading import read_block

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# Classes that alternate, count or name the commenter (odd/even, thread-alt, depth-2,
# comment-author-jane, comment-by-anonymous): two comments differ in them, not in kind.
_ZEBRA = re.compile(
    r"^(?:odd|even|alt|first|last|parent|highlight|bypostauthor|byuser|thread-\w+|comment-author-.+|comment-by-.+)$"
)
_NUMBERED_ID = re.compile(r"^(?P<prefix>\D+)\d+$")


def shape(element: HtmlElement) -> tuple[str, str]:
    """Tag and first class, past the ones that alternate or count (odd/even, depth-2): themes
    add state classes after the kind (xenforo-comment xenforo-read-more-target)."""
    classes = [c for c in element.get("class", "").split() if not _ZEBRA.match(c) and not any(ch.isdigit() for ch in c)]
    return element.tag, classes[0] if classes else ""


def _kind(element: HtmlElement) -> tuple[str, frozenset[str]]:
    """Tag and every class but the alternating and counting ones: the first class alone
    is often a grid's ("column"), which half the page's boxes share."""
    classes = element.get("class", "").split()
    return element.tag, frozenset(c for c in classes if not _ZEBRA.match(c) and not any(ch.isdigit() for ch in c))


def with_answer(block: HtmlElement) -> HtmlElement:
    """A <dt> header and its <dd> text (definition-list threads) as one block."""
    answer = block.getnext()
    if block.tag != "dt" or answer is None or answer.tag != "dd":
        return block
    pair = block.makeelement("div", {})
    pair.extend([copy.deepcopy(block), copy.deepcopy(answer)])
    return pair


def _id_prefix(element: HtmlElement) -> str:
    match = _NUMBERED_ID.match(element.get("id", ""))
    return match.group("prefix") if match else ""


def _replies(block: HtmlElement) -> list[HtmlElement]:
    """Blocks nested in ``block`` shaped like it: the replies it holds. A bare <li> counts
    only with a numbered id like the block's (li#comment-1510 in li#comment-1508), so a
    list in the comment's words is no reply."""
    tag, kind = _kind(block)
    prefix = _id_prefix(block)
    if not kind and not prefix:
        return []
    return [d for d in block.iterdescendants(tag) if _kind(d) == (tag, kind) and (kind or _id_prefix(d) == prefix)]


def _read(block: HtmlElement, inner: list[HtmlElement]) -> tuple[RawComment, int]:
    # Without its replies (marked-up authors and times of their own), not its chrome yet:
    # read_block tells the author by the classes the chrome carries.
    return read_block(without_nodes(block, inner, chrome=False) if inner else with_answer(block))


def _same_shape(tree: HtmlElement, blocks: list[HtmlElement], start: HtmlElement) -> list[HtmlElement]:
    """Further blocks shaped like the thread's, each with evidence of its own, from ``start``
    (the comment section, or the heading naming it) down: a post above the heading is
    shaped like the replies below it (forum-like threads) and is the article."""
    tag, kind = _kind(blocks[0])
    if not kind:
        return []  # a bare <div> or <li> is every other box on the page
    taken = set(blocks)
    order = {element: i for i, element in enumerate(tree.iter())}
    first = order[start]
    found = []
    for element in tree.iter(tag):
        if order.get(element, -1) <= first or element in taken or _kind(element) != (tag, kind):
            continue
        if any(a in taken for a in element.iterancestors()) or any(d in taken for d in element.iterdescendants()):
            continue
        if _read(element, _replies(element))[1]:
            found.append(element)
            taken.add(element)
    return found


def read_thread(
    tree: HtmlElement, group: list[HtmlElement], start: HtmlElement
) -> list[tuple[HtmlElement, RawComment]]:
    """Every comment of the thread whose blocks are ``group``, in page order, with the
    comment each reply answers; more blocks shaped like them count from ``start`` on."""
    kept = set(group) | set(_same_shape(tree, group, start))
    for block in list(kept):
        for reply in _replies(block):
            if reply not in kept and _read(reply, _replies(reply))[1]:
                kept.add(reply)
    ordered = [element for element in tree.iter() if element in kept]
    index = {element: i for i, element in enumerate(ordered)}
    read = []
    for element in ordered:
        comment, _ = _read(element, [r for r in _replies(element) if r in kept])
        comment.parent_index = nearest(element, index)
        read.append((element, comment))
    return read
