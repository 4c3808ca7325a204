"""Self-check: every truth record is visible in, and consistent with, its page."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

import lxml.html

from .bank import FIXTURES
from .dates import F_DATE, F_MONTH_DAY_TIME, fmt, ms
from .model import Comment, Page
from .truth import records

# --- self-check ----------------------------------------------------------------

FOREIGN_MARKUP = [
    (r"<li[^>]+class=\"[^\"]*\bcomment\b", "WordPress li.comment"),
    (r"\bvcard\b", "vcard"),
    (r"says:", "says:"),
    (r"\bsaid:", "said:"),
    (r"\bwrote:", "wrote:"),
    (r"Posted by", "Posted by"),
    (r"schema\.org/(Comment|UserComments)", "schema.org Comment"),
    (r"said\.\.\.", "Blogger said..."),
]


def visible_text(p: Page, keep_scripts=False) -> tuple[str, object]:
    raw = (FIXTURES / p.path).read_bytes().decode(p.encoding)
    doc = lxml.html.document_fromstring(raw)
    ld = [s.text_content() for s in doc.xpath("//script[@type='application/ld+json']")]
    for bad in doc.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    return " ".join(doc.text_content().split()), (doc, ld, raw)


def check_page(p: Page, problems: list):
    text, (doc, ld_blocks, raw) = visible_text(p)
    where = p.path
    body = [" ".join(x.split()) for x in p.paras]
    for para in body:
        if para not in text:
            problems.append(f"{where}: body paragraph not visible: {para[:60]}")
    recs = records(p.comments)
    check_records(p, recs, text, body, problems)
    ids = [r["site_id"] for r in recs if r["site_id"]]
    if len(ids) != len(set(ids)):
        problems.append(f"{where}: duplicate site ids")
    for sid in ids:
        if not doc.xpath(f"//*[@id='{sid}' or @name='{sid}']"):
            problems.append(f"{where}: site_id {sid} not in markup")
    check_foreign_markup(p, raw, problems)
    if p.markup == "schema-jsonld":
        check_jsonld(p, ld_blocks, problems)
    if p.markup == "blogger":
        for c in p.comments:
            if f"showComment={ms(c.when)}#c{c.num}" not in raw:
                problems.append(f"{where}: showComment ms mismatch for c{c.num}")
    check_machine_times(p, doc, problems)


def check_records(p: Page, recs: list, text: str, body: list, problems: list):
    """Every record has an author and text, both visible, none of it in the body, parents first."""
    where = p.path
    for c, r in zip(p.comments, recs, strict=True):
        if not r["text"] or not r["author"]:
            problems.append(f"{where}: empty author/text at {r['position']}")
        if " ".join(r["author"].split()) not in text:
            problems.append(f"{where}: author not visible: {r['author']}")
        for line in r["text"].split("\n"):
            if line not in text:
                problems.append(f"{where}: comment line not visible: {line[:60]}")
            if any(line in para for para in body):
                problems.append(f"{where}: comment line occurs in the body: {line[:60]}")
        if r["parent"] is not None and r["parent"] >= r["position"]:
            problems.append(f"{where}: parent after child at {r['position']}")
        check_when(p, c, problems)


def check_foreign_markup(p: Page, raw: str, problems: list):
    """Pages of markups that must not look like a known engine carry none of its markup."""
    where = p.path
    if p.markup in ("fallback", "schema-jsonld", "numbered-says"):
        html_only = re.sub(r"<script.*?</script>", "", raw, flags=re.S)
        for pattern, label in FOREIGN_MARKUP:
            if p.markup == "numbered-says" and label in ("says:", "Posted by"):
                continue  # the header reads "N. NAME says:"; a planted comment quotes "Posted by:"
            if re.search(pattern, html_only):
                problems.append(f"{where}: {label} markup found in a {p.markup} page")


def check_machine_times(p: Page, doc, problems: list):
    """Every machine-readable comment time is the instant of some comment."""
    where = p.path
    for t in doc.xpath("//time[@datetime]|//meta[@itemprop='dateCreated']"):
        value = t.get("datetime") or t.get("content")
        if t.getparent() is not None and t.xpath(
            "ancestor::*[contains(@class,'entry-meta') or contains(@class,'byline')]"
        ):
            continue
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=p.zone)
        instants = {c.when.astimezone(UTC) for c in p.comments if c.when is not None}
        if "twentytwelve" in p.path:
            dt = dt.replace(tzinfo=p.zone)  # the WP<5.3 bug: wall time labelled +00:00
        if dt.astimezone(UTC) not in instants:
            problems.append(f"{where}: machine-readable time {value} matches no comment")


def check_when(p: Page, c: Comment, problems: list):
    """A comment's time exists, is unambiguous, lies between publishing and fetching, and is shown right."""
    where = p.path
    if c.when is not None:
        flip = c.when.replace(fold=1 - c.when.fold)
        if flip.utcoffset() != c.when.utcoffset():
            problems.append(f"{where}: ambiguous local time {c.shown}")
        if c.when.astimezone(UTC).astimezone(p.zone).replace(tzinfo=None) != c.when.replace(tzinfo=None):
            problems.append(f"{where}: non-existent local time {c.shown}")
        if c.when > p.fetched_dt or c.when < p.published:
            problems.append(f"{where}: comment time outside published..fetched: {c.shown}")
        if c.shown and not c.shown.endswith("ago") and not c.shown.startswith(("yesterday", "today")):
            check_shown(p, c, problems)
    elif c.kind == "comment":
        problems.append(f"{where}: comment without time")


def check_shown(p: Page, c: Comment, problems: list):
    from dateutil import parser

    dayfirst = bool(re.match(r"\d\d[/.]\d\d[/.]\d{4}", c.shown))
    try:
        got = parser.parse(
            c.shown.replace(" at ", " ").replace(" @ ", " "),
            fuzzy=True,
            dayfirst=dayfirst,
            default=datetime(c.when.year, 1, 1),
        )
    except (ValueError, OverflowError) as exc:
        problems.append(f"{p.path}: unparseable shown date {c.shown!r}: {exc}")
        return
    want = c.when.replace(tzinfo=None)
    if c.shown in (fmt(c.when, F_DATE), fmt(c.when, F_MONTH_DAY_TIME).split(",")[0]):
        want = want.replace(hour=0, minute=0, second=0)  # date-only label next to a full datetime
    if got.replace(tzinfo=None) != want:
        problems.append(f"{p.path}: shown {c.shown!r} parses to {got}, truth {want}")


def check_jsonld(p: Page, blocks: list, problems: list):
    found = {}

    def walk(node):
        if isinstance(node, dict):
            if node.get("@type") == "Comment":
                found[node["@id"].split("#")[1]] = node
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for b in blocks:
        walk(json.loads(b))
    recs = {r["site_id"]: r for r in records(p.comments)}
    if set(found) != set(recs):
        problems.append(f"{p.path}: JSON-LD comment ids {sorted(found)} != truth {sorted(recs)}")
        return
    for sid, node in found.items():
        r = recs[sid]
        author = node["author"] if isinstance(node["author"], str) else node["author"]["name"]
        text = "\n".join(x for x in html.unescape(node["text"]).split("\n") if x)
        when = datetime.fromisoformat(node["dateCreated"].replace("Z", "+00:00"))
        if author != r["author"] or text != r["text"] or when != datetime.fromisoformat(r["posted"]):
            problems.append(f"{p.path}: JSON-LD {sid} differs from truth")
        parent = node.get("parentItem", {}).get("@id")
        if parent and recs[parent.split("#")[1]]["position"] != r["parent"]:
            problems.append(f"{p.path}: JSON-LD parentItem of {sid} differs from truth")


def check_pagination(paged: list, paged_page, problems: list):
    body = [" ".join(x.split()) for x in paged_page.paras]
    for c in paged_page.comments:
        if any(line in para for line in c.lines() for para in body):
            problems.append(f"pagination: comment line occurs in the body: {c.lines()[0][:60]}")
    # every page of the paged article shows its own comments and no others
    for q, chunk in zip(
        paged, [paged_page.comments[0:5], paged_page.comments[5:10], paged_page.comments[10:12]], strict=True
    ):
        text, (doc, _, _raw) = visible_text(q)
        for c in chunk:
            for line in c.lines():
                if line not in text:
                    problems.append(f"{q.path}: comment line not visible: {line[:60]}")
            if not doc.xpath(f"//li[@id='{c.site_id}']"):
                problems.append(f"{q.path}: {c.site_id} missing")
        for other in paged_page.comments:
            if other not in chunk and doc.xpath(f"//li[@id='{other.site_id}']"):
                problems.append(f"{q.path}: {other.site_id} should be on another page")
