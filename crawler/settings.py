"""Scrapy settings for newsdedup. Any setting can be overridden with ``-s NAME=VALUE``
(a few also from the environment, as noted).

Every setting's default has one home:

* a setting read into a config dataclass has its default on that dataclass's field, and
  nowhere else: DEDUP_* (DedupConfig, pipelines/dedup/config.py), EXTRACT_* except
  EXTRACT_WORKERS (ExtractConfig, pipelines/extract.py), COMMENTS_ENABLED (AnalyzeConfig,
  pipelines/analysis.py), BOILERPLATE_* (BoilerplateConfig, pipelines/boilerplate.py),
  HISTORY_* (HistoryConfig, storage/versions.py) and STORE_* (StoreConfig,
  pipelines/crawl_store.py). pipelines/settings_reader.py reads them field by field
  (``<PREFIX>_<FIELD>``), so the importer, ``reprocess`` and the tests get the same
  defaults without this module;
* every other setting has its default here, or is Scrapy's own (its default_settings.py)
  when not set here; code reads it with no fallback of its own (``getfloat("X")``, never
  ``getfloat("X", 1.0)``).

tests/test_settings_docs.py checks the settings tables of docs/crawling.md and
docs/distributed.md against both.
"""

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
# Required in fleet mode (crawler/fleet.py refuses to start without it).
FLEET_RUN = os.environ.get("NEWSDEDUP_FLEET_RUN") or None
# Seconds from a response to the next request on that host, fleet-wide (robots.txt
# Crawl-delay or AutoThrottle's delay when larger); crawler/fleet_politeness.py polls a
# busy host every FLEET_POLL_INTERVAL seconds and holds it at most DOWNLOAD_TIMEOUT +
# FLEET_LEASE_MARGIN seconds (a killed worker's host frees itself), under this key prefix.
FLEET_HOST_DELAY = 1.0
FLEET_POLL_INTERVAL = 0.05
FLEET_LEASE_MARGIN = 10.0
FLEET_KEY_PREFIX = "newsdedup:host:"
# A worker with an empty shared queue waits FLEET_IDLE_GRACE seconds for the others' new
# links before it leaves, asking every FLEET_IDLE_POLL seconds; a run's Redis keys expire
# FLEET_KEYS_TTL seconds after a worker leaves (0: never).
FLEET_IDLE_GRACE = 10.0
FLEET_IDLE_POLL = 0.5
FLEET_KEYS_TTL = 86400
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

# Extraction runs in worker processes (-1: one per CPU; 0: inline, for debugging). The
# other EXTRACT_* settings (EXTRACT_MIN_TEXT_CHARS: main text a page needs to be stored…)
# and COMMENTS_ENABLED have their defaults on ExtractConfig and AnalyzeConfig.
EXTRACT_WORKERS = -1

# Incremental runs: an article already stored is fetched again (with If-None-Match /
# If-Modified-Since) only while it is younger than the refresh window, to pick up new
# comments and corrections; feeds and sitemaps are fetched in full when due (POLL_*).
# False: every article, feed and sitemap every run.
INCREMENTAL_ENABLED = True
# Paged feeds (rel="next") are followed this many pages deep.
FEED_MAX_PAGES = 5
REFRESH_WINDOW_DAYS = 3
# Each feed, sitemap and section page is polled at its own pace (crawler/polling.py): due
# again after half the time each new link took to appear, longer while it stays quiet,
# within these bounds (seconds); a run fetches only what is due (-a force=1: all), with
# the validators of its last response. False: every entry point every run.
POLL_ENABLED = True
POLL_MIN_INTERVAL = 600
POLL_MAX_INTERVAL = 86400
# The run's clock (ISO 8601, e.g. 2026-01-05T10:00:00Z): None is the real time; tests
# simulate hourly runs with it.
CRAWL_NOW = None
# A backfill (-a since=YYYY-MM-DD) follows each section's pagination this many pages deep.
SECTION_MAX_PAGES = 50
# Syndicated copies and quotes (pipelines/dedup/config.py holds every DEDUP_* default and
# docs/dedup.md the measurements behind them). DEDUP_WINDOW_DAYS=None: archives without
# dates. BOILERPLATE_* (paragraphs a source prints on many articles), HISTORY_* (earlier
# versions of an article) and STORE_* (articles per transaction) likewise have their
# defaults on their config dataclasses (this module's docstring).

# An import (WARC files, saved pages) or a reprocess keeps at most this many items in the
# pipelines (crawler/spiders/local.py).
ARCHIVE_IN_FLIGHT = 64
# A response's callback output (its article item, or a feed's requests) goes through at
# most this many tasks at once. Scrapy starts that many tasks for every response, whatever
# it yields: 0.71 ms of the event loop a response at Scrapy's 100, 0.08 ms at 8 (one item;
# a feed's 500 requests: 3.4 ms and 2.1 ms). A callback yields one item at most here.
CONCURRENT_ITEMS = 8

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

EXTENSIONS = {
    # The crawl's store, for the spiders' frontier reads (crawler/store_access.py).
    "crawler.store_access.StoreAccess": 100,
    "crawler.loop_lag.LoopLagMonitor": 500,
    "crawler.interpreter.InterpreterTuning": 520,
    # Per-source HTTP statuses, repeated bodies, extraction counts (`newsdedup health`).
    "crawler.source_stats.SourceStats": 530,
    "crawler.polling.EntryPolling": 540,
    "crawler.metrics.RunMetrics": 550,
}
# A Prometheus text file of each run's per-source counts, for node-exporter's textfile
# collector (written to a temporary file, then renamed); None: none.
METRICS_FILE = os.environ.get("NEWSDEDUP_METRICS_FILE") or None
# CPython tuning for the crawl process (crawler/interpreter.py, with the measurements):
# startup objects out of the garbage collector's full passes, and quicker GIL hand-offs
# to the store thread (seconds; None keeps Python's 5 ms).
GC_FREEZE_ENABLED = True
GIL_SWITCH_INTERVAL = 0.001
# Measure event-loop stalls (stats loop_lag/*): a 10 ms timer costs nothing measurable.
LOOP_LAG_ENABLED = True
LOOP_LAG_INTERVAL = 0.01
