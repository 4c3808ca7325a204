"""`python -m crawler.cli` is the `newsdedup` command."""

from crawler.cli import app

app()
