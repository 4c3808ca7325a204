"""Persistence for newsdedup: typed SQLAlchemy models, engine/session helpers and queries.

This package never imports Scrapy, so the offline importer, the query CLI and plain
Python scripts can all use it.
"""
