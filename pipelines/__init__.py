"""Item pipelines (extract → comments → store) and the pure cores they wrap.

Modules ending in a ``*Pipeline`` class are thin Scrapy adapters; everything else here
(html, extract, comments, pool) is plain Python that the importer and tests reuse.
"""
