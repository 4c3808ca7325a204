"""The `newsdedup` command line: one module per group of commands, one shared app."""

from __future__ import annotations

from cli import browse, crawls, health, history, imports, reports, schema, stories, warcs
from cli.common import app

__all__ = ["app", "browse", "crawls", "health", "history", "imports", "reports", "schema", "stories", "warcs"]
