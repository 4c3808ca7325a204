"""The two item pipeline stages and the plain-Python cores they run.

::

    crawler/spiders            pipelines/analyze.py            pipelines/store.py
    fetch only           ──►   AnalyzePipeline           ──►   StorePipeline
    feeds, sitemaps,           one worker trip a page:         through the crawl's CrawlStore
    sections, articles,        extract   (trafilatura)         (one DB thread, one session):
    comment pages              comments  (engine parsers)      boilerplate, write, link stories,
                               signature (MinHash)             frontier row, run record
      │  fetch_outcome signal (304, fetch errors)  ──────────►       │
      └─ reads the frontier through the CrawlStore ◄─────────────────┤
                                                                      ▼
    cli/  (newsdedup: import, query, reports) ──────────►  storage/  (SQLAlchemy 2.0, no Scrapy)

``analyze.py`` and ``store.py`` are the Scrapy adapters (ITEM_PIPELINES); ``analysis``,
``extract``, ``comments``, ``dedup``, ``boilerplate``, ``write`` and ``crawl_store`` are
plain Python that the importer, ``reprocess``, ``dedup rebuild``, the benches and the
tests call without Scrapy.
"""
