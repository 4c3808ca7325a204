"""Stories: `newsdedup story` shows one with its copies and quoting posts; `split` undoes a merge."""

from __future__ import annotations

from typing import Annotated

import typer

from crawler.cli.common import DbOption, JsonOption, app, fail, open_database, out, print_json_lines
from crawler.render import render_story
from storage.db import make_engine, session_scope
from storage.dedup import split_from_story
from storage.locks import write_lock
from storage.queries import find_article
from storage.stories import story_document

ArticleArgument = Annotated[str, typer.Argument(help="Article id (from `newsdedup articles`) or URL.")]


@app.command()
def story(article: ArticleArgument, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Show the story an article belongs to: every copy, why it is one, and the posts quoting it.

    Example: newsdedup story 5
    """
    engine = open_database(db)
    with session_scope(engine) as session:
        found = find_article(session, article)
        if found is None:
            raise fail(f"no stored article with id or URL {article!r}", 2)
        document = story_document(session, found[0].id)
    if as_json:
        print_json_lines([document])
        return
    out.print(render_story(document, highlight=found[0].id))


@app.command()
def split(article: ArticleArgument, db: DbOption = None) -> None:
    """Take an article out of its story (a wrong merge); re-imports and re-crawls keep it apart.

    Example: newsdedup split 8
    """
    engine = make_engine(open_database(db).url.render_as_string(hide_password=False), writer=True)
    with session_scope(engine) as session:
        write_lock(session)
        found = find_article(session, article)
        if found is None:
            raise fail(f"no stored article with id or URL {article!r}", 2)
        target = found[0]
        if target.story_id == target.id and not story_document(session, target.id)["copies"][1:]:
            raise fail(f"article {target.id} is alone in its story: nothing to split", 2)
        stories = split_from_story(session, target)
    out.print(f"article {target.id} split out; stories now: {', '.join(str(s) for s in sorted(stories))}")
