"""What changed: `newsdedup history ID|URL`, the versions of an article and their diffs."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Group
from rich.text import Text

from cli.common import DbOption, JsonOption, app, fail, open_database, out, print_json_lines
from storage.articles import find_article
from storage.db import session_scope
from storage.history import history_document, words_of

# Words of unchanged text shown on each side of a change.
CONTEXT_WORDS = 6


def _when(moment: str | None) -> str:
    return f"{moment[:16].replace('T', ' ')} UTC" if moment else "unknown"


def _context(words: list[str], side: str) -> str:
    """A few words of unchanged text: the end of it before a change, its start after."""
    shown = words[-CONTEXT_WORDS:] if side == "before" else words[:CONTEXT_WORDS]
    line = " ".join(shown).replace("\n", "¶")
    if len(words) > CONTEXT_WORDS:
        line = f"… {line}" if side == "before" else f"{line} …"
    return line


def render_text_diff(ops: list[dict[str, Any]], old_text: str) -> list[Text]:
    """One line per change: a few words of context, the removed words struck out in
    red, the added ones in green (¶: a paragraph break)."""
    words = words_of(old_text)
    lines = []
    for n, op in enumerate(ops):
        if op["op"] == "equal":
            continue
        line = Text("  ")
        if n > 0 and ops[n - 1]["op"] == "equal":
            before = ops[n - 1]
            line.append(_context(words[before["at"] : before["at"] + before["words"]], "before") + " ")
        for key, style in (("old", "red strike"), ("new", "green")):
            if key in op:
                line.append(op[key].replace("\n", " ¶ ").strip(), style=style)
                line.append(" ")
        if n + 1 < len(ops) and ops[n + 1]["op"] == "equal":
            after = ops[n + 1]
            line.append(_context(words[after["at"] : after["at"] + after["words"]], "after"))
        lines.append(line)
    return lines


def render_history(document: dict[str, Any]) -> Group:
    versions = document["versions"]
    parts: list[Any] = [
        Text.assemble((f"#{document['id']} ", "bold"), document["canonical_url"]),
        Text(f"{len(versions)} versions kept (this is version {document['version']})"),
    ]
    first = versions[0]
    parts.append(Text(f"v{first['version']}  last fetched {_when(first['last_fetched_at'])}", style="bold"))
    texts = {v["version"]: v["text"] for v in versions}
    for change in document["changes"]:
        kind = "edit" if change["edit"] else "new extraction, no edit"
        parts.append(
            Text(
                f"v{change['to']}  fetched {_when(change['at'])} by {change['origin']} ({kind}): "
                f"{', '.join(change['changed'])}",
                style="bold",
            )
        )
        for name in ("title", "authors", "published_at"):
            if name in change:
                old, new = (_value(change[name][side]) for side in ("old", "new"))
                parts.append(Text.assemble(f"  {name}: ", (old, "red"), " → ", (new, "green")))
        if "text" in change:
            parts.extend(render_text_diff(change["text"], texts[change["from"]]))
        if "story" in change:
            parts.append(Text(f"  story: #{change['story']['old']} → #{change['story']['new']}"))
    for comment in document["comments_removed"]:
        parts.append(
            Text(
                f"comment {comment['position']} by {comment['author'] or 'anonymous'} removed by the site"
                f" (gone at {_when(comment['removed_at'])}): {comment['text'][:80]}"
            )
        )
    for link in document["story_links"]:
        parts.append(
            Text(
                f"{link['kind']} of #{link['target']} ({link['method']} {link['score']:.2f}),"
                f" linked {_when(link['linked_at'])}"
            )
        )
    return Group(*parts)


def _value(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value) or "(none)"
    return "(none)" if value is None else str(value)


@app.command()
def history(
    article: Annotated[str, typer.Argument(help="Article id (from `newsdedup articles`) or URL.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """What changed: every kept version of an article, when it was fetched and from where
    (crawl, import, reprocess), and a word-level diff of each change; the comments the
    site removed.

    Example: newsdedup history 3 --json
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        found = find_article(session, article)
        if found is None:
            raise fail(f"no stored article with id or URL {article!r}", 2)
        document = history_document(session, *found)
    if as_json:
        print_json_lines([document])
        return
    out.print(render_history(document))
