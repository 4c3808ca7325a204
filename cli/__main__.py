"""`python -m cli` is the `newsdedup` command."""

from cli import app

# Guarded: extraction workers are spawned processes that import the main module again.
if __name__ == "__main__":
    app()
