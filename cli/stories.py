"""Stories: `newsdedup story` shows one, `split` undoes a merge, `dedup rebuild` relinks everything."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from sqlalchemy import Engine, func, select

from cli.common import (
    DbOption,
    JsonOption,
    SetOption,
    app,
    console,
    dedup_app,
    fail,
    open_database,
    out,
    parse_settings,
    print_json_lines,
)
from cli.render import render_story
from storage.articles import find_article
from storage.clusters import split_from_story
from storage.db import make_engine, session_scope
from storage.dedup import clear_index
from storage.locks import write_lock
from storage.models import Article
from storage.stories import story_document

# Articles linked per transaction: other writers get the database between batches.
REBUILD_BATCH = 200

ArticleArgument = Annotated[str, typer.Argument(help="Article id (from `newsdedup articles`) or URL.")]


def writer_engine(db: str | None) -> Engine:
    """An engine at the current schema that writes like a crawl (storage.db.make_engine)."""
    checked = open_database(db)
    url = checked.url.render_as_string(hide_password=False)
    checked.dispose()
    return make_engine(url, writer=True)


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
    engine = writer_engine(db)
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


@dedup_app.command("rebuild")
def rebuild(db: DbOption = None, settings: SetOption = None) -> None:
    """Recompute every signature and link from the stored texts (new DEDUP_* settings, or a
    database upgraded from before dedup). Splits made with `newsdedup split` are kept.

    Example: newsdedup dedup rebuild --set DEDUP_WINDOW_DAYS=None
    """
    from crawler.run import project_settings
    from pipelines.dedup import StoryLinker, dedup_config, make_signature

    engine = writer_engine(db)
    try:
        config = dedup_config(
            project_settings(engine.url.render_as_string(hide_password=False), parse_settings(settings))
        )
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    linker = StoryLinker(config)
    with session_scope(engine) as session:
        write_lock(session)
        clear_index(session)
        ids = list(session.scalars(select(Article.id).order_by(Article.published_at.nulls_last(), Article.id)))
    with Progress(console=console) as progress:
        task = progress.add_task("linking", total=len(ids))
        for start in range(0, len(ids), REBUILD_BATCH):
            with session_scope(engine) as session:
                write_lock(session)
                batch = session.scalars(select(Article).where(Article.id.in_(ids[start : start + REBUILD_BATCH])))
                for article in batch:
                    linker.link(session, article, make_signature(article.text, config))
                    progress.advance(task)
    with session_scope(engine) as session:
        stories = session.scalar(select(func.count(func.distinct(Article.story_id)))) or 0
    out.print(f"{len(ids)} articles in {stories} stories, index built with {config.params}")
