"""Scrapy settings for newsdedup. Every NEWSDEDUP_*/EXTRACT_*/COMMENTS_*/STORE_* setting
can be overridden with ``-s NAME=VALUE`` or from the environment as noted."""

from __future__ import annotations

import os

from storage.db import resolve_database_url

BOT_NAME = "newsdedup"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# `scrapy crawl` checks the sources file before starting (crawler/commands/crawl.py).
COMMANDS_MODULE = "crawler.commands"

# Where articles go: $NEWSDEDUP_DATABASE_URL, else ./newsdedup.db (SQLite).
NEWSDEDUP_DATABASE_URL = resolve_database_url()
# The sources file `scrapy crawl news` reads when no `-a sources=PATH` is given.
NEWSDEDUP_SOURCES = os.environ.get("NEWSDEDUP_SOURCES", "sources.toml")

# Politeness: identify ourselves, obey robots.txt (its Crawl-delay too), one request at a
# time per host and at least DOWNLOAD_DELAY seconds between them; AutoThrottle slows down
# further for a slow server, never below DOWNLOAD_DELAY. With NEWSDEDUP_FRONTIER (many
# processes, docs/distributed.md) these limits hold per host for the whole fleet.
# Fleet mode (docs/distributed.md): NEWSDEDUP_FRONTIER=redis://host:6379/0 makes this crawl
# one worker of a fleet sharing that Redis queue and dupefilter (crawler/fleet.py switches
# it on) and one PostgreSQL; FLEET_RUN names the run all its workers share.
NEWSDEDUP_FRONTIER = os.environ.get("NEWSDEDUP_FRONTIER") or None
FLEET_RUN = os.environ.get("NEWSDEDUP_FLEET_RUN") or None
FLEET_HOST_DELAY = 1.0
ADDONS = {"crawler.fleet.FleetMode": 0}
USER_AGENT = "newsdedup/0.1 (+https://github.com/newsdedup/newsdedup)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
# At least DOWNLOAD_DELAY, not Scrapy's random 0.5x-1.5x of it (Scrapy 2.19 replaced
# RANDOMIZE_DOWNLOAD_DELAY, which now warns, by this jitter).
DOWNLOAD_DELAY_JITTER = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.SafeDestinationMiddleware": 50,
    # After RobotsTxtMiddleware (100), which has read the host's robots.txt by then.
    "crawler.middlewares.CrawlDelayMiddleware": 110,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    "crawler.middlewares.CompressedBodyMiddleware": 595,
    # Off unless WARC_DIR is set (crawler/warc_archive.py): next to the downloader, so
    # it archives the bytes as sent, redirects and errors included.
    "crawler.warc_archive.WarcArchiveMiddleware": 900,
}
# Archive every fetched response with its request into gzipped WARC files in this folder
# (None: off); a new file once one reaches WARC_MAX_SIZE bytes. Articles point to their
# record, so `newsdedup reprocess` can re-extract them without fetching (docs/crawling.md).
WARC_DIR = os.environ.get("NEWSDEDUP_WARC_DIR") or None
WARC_MAX_SIZE = 1024**3
WARC_PREFIX = "newsdedup"
RETRY_ENABLED = True
# Retries wait: the server's Retry-After, else 1 s, 2 s, 4 s…; never more than a minute.
RETRY_BACKOFF_BASE = 1.0
RETRY_MAX_DELAY = 60.0
RETRY_TIMES = 3
# A timeout is not retried in the run (three more DOWNLOAD_TIMEOUTs of waiting): the
# frontier tries the URL again on a later run, after FRONTIER_ERROR_BACKOFF_HOURS x 2^(failures-1)
# (at most a week). Every failed fetch backs off that way.
RETRY_TIMEOUTS = False
FRONTIER_ERROR_BACKOFF_HOURS = 1.0
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Local files (offline imports, file:// sources) are read without politeness delays.
DOWNLOAD_SLOTS = {"local-files": {"concurrency": 16, "delay": 0, "jitter": 0}}
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Two stages (pipelines/__init__.py): analyze each page in a worker (extract, comments,
# dedup signature), then store it (write, link, record) in the crawl's one DB session.
ITEM_PIPELINES = {
    "pipelines.analyze.AnalyzePipeline": 100,
    "pipelines.store.StorePipeline": 900,
}

# Extraction runs in worker processes (-1: one per CPU; 0: inline, for debugging).
EXTRACT_WORKERS = -1
EXTRACT_FAVOR_PRECISION = False
# Main text a page needs to be stored: 250 characters, or 50 when the page declares itself
# an article (schema.org/og:type) or has a byline with a date.
EXTRACT_MIN_TEXT_CHARS = 250
EXTRACT_MIN_ARTICLE_CHARS = 50
EXTRACT_MAX_BYTES = 5 * 1024 * 1024
COMMENTS_ENABLED = True

# Incremental runs: an article already stored is fetched again (with If-None-Match /
# If-Modified-Since) only while it is younger than the refresh window, to pick up new
# comments and corrections; feeds and sitemaps are fetched in full every run.
INCREMENTAL_ENABLED = True
# Paged feeds (rel="next") are followed this many pages deep.
FEED_MAX_PAGES = 5
REFRESH_WINDOW_DAYS = 3
# Syndicated copies and quotes (pipelines/dedup/config.py holds every DEDUP_* default and
# docs/dedup.md the measurements behind them). DEDUP_WINDOW_DAYS=None: archives without dates.
DEDUP_ENABLED = True
DEDUP_WINDOW_DAYS = 7

# A paragraph printed on this many articles of one source is its boilerplate (support
# appeals, subscription lines, author bios) and is removed from its bodies (>= 2).
BOILERPLATE_ENABLED = True
BOILERPLATE_MIN_ARTICLES = 3

# Earlier versions of an article (text, title, authors, time) are kept when a re-crawl,
# re-import or reprocess changes them (`newsdedup history`); at most this many per article.
HISTORY_ENABLED = True
HISTORY_MAX_VERSIONS = 20

# Articles per DB transaction; each article and its comments share one savepoint.
STORE_COMMIT_EVERY = 20
# Make every write and roll it back (`newsdedup reprocess --dry-run`).
STORE_DRY_RUN = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

EXTENSIONS = {
    "crawler.loop_lag.LoopLagMonitor": 500,
    "crawler.interpreter.InterpreterTuning": 520,
}
# CPython tuning for the crawl process (crawler/interpreter.py, with the measurements):
# startup objects out of the garbage collector's full passes, and quicker GIL hand-offs
# to the store thread (seconds; None keeps Python's 5 ms).
GC_FREEZE_ENABLED = True
GIL_SWITCH_INTERVAL = 0.001
# Measure event-loop stalls (stats loop_lag/*): a 10 ms timer costs nothing measurable.
LOOP_LAG_ENABLED = True
LOOP_LAG_INTERVAL = 0.01
