"""Rich renderings of stored records for the CLI."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.tree import Tree


def comment_tree(comments: list[dict[str, Any]]) -> Tree:
    """Comments as a thread: replies under the comment they answer."""
    root = Tree(f"[bold]{len(comments)} comments[/]")
    nodes: dict[int, Tree] = {}
    for comment in comments:
        when = f"{comment['posted_at'][:16].replace('T', ' ')} UTC" if comment["posted_at"] else "undated"
        label = Group(
            Text.assemble((comment["author"] or "anonymous", "bold"), f"  {when}", style=""),
            Text(comment["text"]),
        )
        parent = nodes.get(comment["parent"]) if comment["parent"] is not None else None
        nodes[comment["position"]] = (parent or root).add(label)
    return root


def _from(value: str | None, source: str | None) -> str:
    """A value and what it was read from: "2024-05-14T09:30:00+00:00 (from json-ld)"."""
    if not value:
        return "unknown"
    return f"{value} (from {source})" if source else value


def render_article(document: dict[str, Any]) -> Group:
    meta = Table.grid(padding=(0, 2))
    for label, value in (
        ("source", document["source"]),
        ("url", document["canonical_url"]),
        ("title from", document.get("title_source") or "unknown"),
        ("published", _from(document["published_at"], document.get("published_source"))),
        ("authors", _from(", ".join(document["authors"]), document.get("authors_source"))),
        ("language", document["language"] or "unknown"),
        ("categories", ", ".join(document["categories"] + document["tags"])),
    ):
        meta.add_row(Text(label, style="dim"), Text(str(value)))
    title = escape(document["title"] or "(no title)")
    parts: list[Any] = [Panel(meta, title=f"[bold]{title}[/]", title_align="left"), Text(document["text"]), Text("")]
    if document["comments"]:
        parts.append(comment_tree(document["comments"]))
    return Group(*parts)


def _member_row(table: Table, member: dict[str, Any], how: str, highlight: int | None) -> None:
    style = "bold" if member["id"] == highlight else ""
    table.add_row(
        str(member["id"]),
        member["source"],
        (member["published_at"] or "")[:16].replace("T", " "),  # to the minute: who quoted whom
        member["title"] or "",
        how,
        member["canonical_url"],
        style=style,
    )


def render_story(story: dict[str, Any], highlight: int | None = None) -> Group:
    """A story: its copies with the link that made each one a copy, and the quoting posts."""
    copies = Table("id", "source", "published", "title", "how", "url", title=f"story {story['story_id']}")
    for member in story["copies"]:
        if member["id"] == story["story_id"]:
            how = "canonical (earliest)"
        else:
            link = max(member["links"], key=lambda lk: lk["score"], default=None)
            similarity = f"similarity {member['similarity']:.2f}" if member["similarity"] is not None else ""
            how = f"{link['method']} {link['score']:.2f} → #{link['matched']}; {similarity}" if link else similarity
        _member_row(copies, member, how, highlight)
    parts: list[Any] = [copies]
    for title, key in (("posts quoting this story", "quoted_by"), ("stories this one quotes", "quotes")):
        if story[key]:
            table = Table("id", "source", "published", "title", "quoted", "url", title=title)
            for post in story[key]:
                passages = "".join(f"\n  “{escape(p)}”" for p in post["passages"])
                _member_row(table, post, f"{post['fraction_quoted']:.0%} of #{post['member']}{passages}", highlight)
            parts.append(table)
    return Group(*parts)
