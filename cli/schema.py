"""`newsdedup db …`: schema migrations."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from cli.common import DbOption, console, db_app, fail
from storage.db import make_engine, migrate, resolve_database_url


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or upgrade the schema to the current version (Alembic).

    Example: newsdedup db upgrade --db postgresql+psycopg://localhost/news
    """
    url = resolve_database_url(db)
    engine = make_engine(url)
    try:
        migrate(engine)
    except SQLAlchemyError as exc:
        raise fail(f"{engine.url.render_as_string(hide_password=True)}: upgrade failed: {exc}") from None
    console.print(f"{engine.url.render_as_string(hide_password=True)} is at the current schema")
