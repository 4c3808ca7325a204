"""When no known markup matches: comments found by the shape of the comment section.

A comment section (an element whose id or class names comments, replies or a
discussion) usually repeats one block per comment. A group of same-shaped siblings in it
is read as comments only with evidence of a thread: nearly every block carries a time
or a marked-up author (a class or itemprop naming the author or user, a <cite>, a
profile link), and the thread shows a time or a comment form / count somewhere. Article
paragraphs, link lists and teaser rows carry neither, so they stay in the body: a lost
comment costs less than a lost article. Records found this way are marked ``fallback``.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from typing import TYPE_CHECKING

from lxml.etree import XPath

from pipelines.comments.markup import THREAD_MARK, RawComment, squash
from pipelines.comments.reading import SHORT, read_block, tokens
from pipelines.comments.thread import read_thread, shape, with_answer
from pipelines.declarations import declarations

if TYPE_CHECKING:
    from lxml.html import HtmlElement

# One id/class token names a comment section: "comments", "comment-list", "kommentare",
# "comentarios", "komentarze", "discussion", "replies", "talkback". Tokens, not substrings of the whole
# attribute: "wp-embed-responsive" on <body> is not a section of responses.
_SECTION_TOKEN = re.compile(
    r"comment|komm?ent|coment|discussion|disqus|^replies$|talkback|leserbrief|reactions", re.IGNORECASE
)
# What every name _SECTION_TOKEN matches holds, lower-cased: a case-sensitive search of the
# lower-cased value turns away the page's other ids and classes at a third of the cost.
_SECTION_HINT = re.compile(r"omment|oment|discussion|disqus|replies|talkback|leserbrief|reactions")
# Tokens of things about comments that are not the thread: counters, links, forms,
# toggles, the "Recent comments" widget, a comment's own parts.
_NOT_SECTION = re.compile(
    r"respond|reply-title|form|count|number|link|closed|open|toggle|button|btn|icon|rss|feed|widget|recent|latest"
    r"|popular|most|meta|author|date|avatar|share|polic|rule|guideline|login|show|^has-|^no-|hidden|header|title"
    r"|aktuell|neueste",
    re.IGNORECASE,
)
_NOT_SECTION_TAGS = frozenset({"html", "body", "main", "form", "a", "span", "p", "script", "input", "textarea", "img"})
_NOT_COMMENT_TAGS = ("script", "style", "form", "br", "input", "label", "textarea", "button", "select", "option")
# A block of one of these is words (a paragraph, a heading, a link), never a whole comment.
_WORD_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "span", "a", "b", "i", "em", "strong", "small", "img"})
# Elements that never hold a thread whatever their id says: headings, icons, buttons, the
# state and template elements of AMP pages (amp-state#comments).
_NOT_SECTION_TAGS_TOO = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "i", "button", "label", "template", "svg"})
# Fields that ask for something: not hidden, not a button, not prefilled (wpDiscuz shows
# each comment's permalink in a text input to copy).
_ENTRY_FIELDS = (
    ".//input[not(@type='hidden' or @type='submit' or @type='button' or @type='image')][not(normalize-space(@value))]"
    " | .//select"
)
_FORM_CHROME = ".//form | .//label | .//button | .//input | .//textarea | .//select | .//option"
_WORDS = re.compile(r"\w")
MIN_SHARE_WITH_EVIDENCE = 0.8
# Blocks averaging more text than this are page regions, not comments.
MAX_BLOCK_CHARS = 6000
_GROUPS_TRIED = 6
# Characters of a comment section outside its thread that make it all comment section
# whatever the thread's length: a heading, a count, a login notice.
_SECTION_REST = 200
_SECTIONS_TRIED = 8

# A section is named by its id and class values (pipelines.declarations' labels: testing
# the attribute values in Python costs 0.3 ms on a 90 KB page, against 2–4 ms for a Python
# loop over its elements or a case-folding XPath predicate).
_LABEL_NAMES = frozenset({"id", "class"})
_HEADINGS = XPath("//h2 | //h3 | //h4")
_COMMENT_HEADING = re.compile(
    r"^\W*(?:\d+|one|ein|un)?\s*(?:comments?|kommentare?|commentaires?|comentarios?|responses?|replies"
    r"|reader comments|leserkommentare|antworten)\b",
    re.IGNORECASE,
)


def _is_section(element: HtmlElement) -> bool:
    if element.tag in _NOT_SECTION_TAGS or element.tag in _NOT_SECTION_TAGS_TOO or element.tag.startswith("amp-"):
        return False
    named = [t for t in tokens(element) if _SECTION_TOKEN.search(t)]
    # The section must not hold the article itself: its heading is outside.
    return bool(named) and not any(_NOT_SECTION.search(t) for t in named) and not element.xpath(".//h1")


def _named_sections(tree: HtmlElement) -> list[HtmlElement]:
    """Elements whose id/class names a comment section, in page order (outer ones first)."""
    found: list[HtmlElement] = []
    for value in declarations(tree).labels:
        # The name first: getparent() builds the element's Python object (0.6 ms a page
        # when asked of every id and class value).
        if not _SECTION_HINT.search(value.lower()) or value.attrname not in _LABEL_NAMES:
            continue
        if not _SECTION_TOKEN.search(value):
            continue
        element = value.getparent()
        if found and found[-1] is element:
            continue
        if _is_section(element):
            found.append(element)
    return found


def _sections(found: list[HtmlElement], tree: HtmlElement) -> list[tuple[HtmlElement, HtmlElement | None]]:
    """Sections that may hold the thread, with the heading that names them (or None): the
    first few ``found`` by name, then the boxes under a "Comments" heading (a thread
    migrated into the post body, a theme without labels)."""
    named: list[tuple[HtmlElement, HtmlElement | None]] = [(element, None) for element in found[:_SECTIONS_TRIED]]
    for heading in _HEADINGS(tree):
        if not _COMMENT_HEADING.match(squash(heading.text_content())):
            continue
        box, parent = _heading_box(heading)
        # Only what follows the heading is read, so the article's own <h1> may sit above it.
        if parent is not None and not set(parent.iter("h1")) & set(box.xpath("following::h1")):
            named.append((parent, box))
    return named


def _heading_box(heading: HtmlElement) -> tuple[HtmlElement, HtmlElement | None]:
    """The heading's own box (a header div holding it and an empty toolbar) and the element
    around it that holds what the heading names."""
    text = squash(heading.text_content())
    box, parent = heading, heading.getparent()
    while parent is not None and squash(parent.text_content()) == text and parent.tag not in ("body", "html"):
        box, parent = parent, parent.getparent()
    return box, parent


def _groups(section: HtmlElement, after: HtmlElement | None = None) -> list[list[HtmlElement]]:
    """Groups of same-shaped sibling elements with text, largest text first: two or more,
    or one that names itself a comment (a thread of one). Under a heading, only what
    follows the heading: the heading names what comes after it, not the post above."""
    found: list[tuple[int, list[HtmlElement]]] = []
    before = _preceding(section, after) if after is not None else set()
    for parent in section.iter("*"):
        if parent.tag == "form" or _in_form(parent, section):
            continue  # the comment form's fields repeat too
        groups: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            tag = child.tag
            if isinstance(tag, str) and tag not in _NOT_COMMENT_TAGS and tag not in _WORD_TAGS and child not in before:
                groups[shape(child)].append(child)
        for same in groups.values():
            # The shape and name first: most children are alone of their shape, and
            # their form fields and text cost more to read than their name.
            if len(same) < 2 and not _names_comment(same[0]):
                continue
            group = [g for g in same if not _form_only(g)]
            if not group or (len(group) < 2 and not _names_comment(group[0])):
                continue
            if size := sum(len(squash(g.text_content())) for g in group):
                found.append((size, group))
    return [group for _, group in sorted(found, key=lambda pair: -pair[0])]


def _in_form(element: HtmlElement, section: HtmlElement) -> bool:
    """Inside a form within the section (a page-wide ASP.NET <form> around it is no comment form)."""
    for ancestor in element.iterancestors():
        if ancestor is section or element is section:
            return False
        if ancestor.tag == "form":
            return True
    return False


def _form_only(block: HtmlElement) -> bool:
    """The comment form or a row of it, not a comment with a reply box: a field asking for a
    name, an email or a password, or only fields and their labels. A reply box asks for
    nothing but the reply's text."""
    if block.xpath(_ENTRY_FIELDS):
        return True
    if not block.xpath(".//textarea"):
        return False
    clone = copy.deepcopy(block)
    for node in clone.xpath(_FORM_CHROME):
        if node.getparent() is not None:
            node.drop_tree()
    return not _WORDS.search(clone.text_content())


def _preceding(section: HtmlElement, after: HtmlElement) -> set[HtmlElement]:
    """The elements of ``section`` up to ``after`` and its subtree, in page order."""
    seen: set[HtmlElement] = set()
    for element in section.iter():
        seen.add(element)
        if element is after:
            seen.update(after.iter())
            break
    return seen


# A BEM block may carry a one-letter namespace ("c-comment-card": a component).
_ONE_COMMENT = re.compile(
    r"(?:li-|div-|[a-z]-)?(?:comment|kommentar)(?:[-_]?\d+|[-_]item|[-_]entry|[-_]card)?$", re.IGNORECASE
)


def _names_comment(element: HtmlElement) -> bool:
    """One comment's own box: li#comment-12, div.comment, article.kommentar-item, div.c-comment-card."""
    return any(_ONE_COMMENT.match(token) for token in tokens(element))


def _thread(section: HtmlElement, after: HtmlElement | None) -> list[HtmlElement]:
    """The first group of blocks in ``section`` that shows the evidence of a thread: most
    blocks with a time or a labeled author; a lone block (which names itself a comment,
    see _groups) with one of them."""
    for group in _groups(section, after)[:_GROUPS_TRIED]:
        if sum(len(squash(block.text_content())) for block in group) > MAX_BLOCK_CHARS * len(group):
            continue  # whole page regions, not comments (and costly to read line by line)
        allowed_misses = int(len(group) * (1 - MIN_SHARE_WITH_EVIDENCE))
        misses = 0
        for block in group:
            misses += read_block(with_answer(block))[1] == 0
            if misses > allowed_misses:
                break
        else:
            return group
    return []


def structural(tree: HtmlElement) -> list[RawComment]:
    """Comments of the first comment section with a readable thread, or none.

    Marks the thread's blocks (and the heading that named it) with THREAD_MARK; a section
    named for comments that is mostly its thread is marked whole (its heading, count and
    "log in to comment" notice go with it), and so is any that holds only a few short
    lines ("No comments", "Log in to comment", the form's labels).
    """
    # An outer section that fails can hold the real thread deeper down: inner ones are
    # tried too, a few at most (each try parses dates).
    found = _named_sections(tree)
    # Outermost ones only: the entries of a live ticker ("live-match-comment") are short
    # too, and they are the article.
    named = set(found)
    for section in found:
        if _empty(section) and not any(a in named for a in section.iterancestors()):
            section.set(THREAD_MARK, "")
    for section, heading in _sections(found, tree):
        group = _thread(section, heading)
        if group:
            read = read_thread(tree, group, heading if heading is not None else section)
            blocks = [element for element, _ in read]
            marked = [*blocks, *([heading] if heading is not None else [])]
            if heading is None and _mostly_thread(section, blocks):
                marked.append(section)
            for element in marked:
                element.set(THREAD_MARK, "")
            return [comment for _, comment in read]
    return []


def _mostly_thread(section: HtmlElement, blocks: list[HtmlElement]) -> bool:
    inside = set(blocks)
    outer = [b for b in blocks if not any(a in inside for a in b.iterancestors()) and section in b.iterancestors()]
    thread = sum(len(squash(b.text_content())) for b in outer)
    rest = len(squash(section.text_content())) - thread
    return bool(outer) and rest <= max(_SECTION_REST, thread)


def _empty(section: HtmlElement) -> bool:
    """An empty thread's section: a few short lines, no paragraph of words."""
    text = squash(section.text_content())
    return len(text) <= _SECTION_REST and all(len(squash(line)) < SHORT for line in section.itertext())
