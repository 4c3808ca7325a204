"""The store's named steps and what each cost a run (datatrove's per-step stats are the model).

A crawl's store does, for each article, in this order: ``boilerplate`` (the source's
repeated paragraphs and title affixes, learned and removed), ``write`` (the article's
row, in its savepoint), ``comments``, ``sign`` (signing again a text the boilerplate
step changed), ``link`` (dedup: copies and quotes), ``frontier`` (the fetched URLs'
rows); and per transaction ``lock`` (taking the locks of an article's write when no
other writer holds them: PostgreSQL, storage/key_locks.py), ``lock_wait`` (waiting for
other writers: for their locks, a try that found one held, and the work of a write
redone because another writer held a lock it found it needed) and ``commit``.
Each step's wall time (perf_counter: database round trips are most of it) and count
go to the crawl's stats (``store/step/<name>/ms``, ``.../count``) and its run record
(``newsdedup runs --json``: ``steps``). No Scrapy here.
"""

from __future__ import annotations

from collections.abc import Iterator
from time import perf_counter

LOCK = "lock"
LOCK_WAIT = "lock_wait"
BOILERPLATE = "boilerplate"
WRITE = "write"
COMMENTS = "comments"
SIGN = "sign"
LINK = "link"
FRONTIER = "frontier"
COMMIT = "commit"

# The order an article meets them: its transaction's locks, store_article's steps, the commit.
STEPS = (LOCK, LOCK_WAIT, BOILERPLATE, WRITE, COMMENTS, SIGN, LINK, FRONTIER, COMMIT)


class StepTimes:
    """Time and count per step, added up over a crawl. Timing is a chain of laps, one
    perf_counter reading each, so a step costs no allocation::

        t = perf_counter()
        ...the write...
        t = steps.lap(WRITE, t)  # the time since t is the write's; t is now
    """

    __slots__ = ("counts", "seconds")

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STEPS, 0.0)
        self.counts = dict.fromkeys(STEPS, 0)

    def lap(self, step: str, since: float, count: int = 1) -> float:
        """Add the time since ``since`` (a perf_counter reading) and ``count`` to ``step``;
        return the reading now, where the next step's time starts."""
        now = perf_counter()
        self.seconds[step] += now - since
        self.counts[step] += count
        return now

    def add(self, other: StepTimes) -> None:
        """Add another's times and counts (a write's steps, once it is kept)."""
        for step in STEPS:
            self.seconds[step] += other.seconds[step]
            self.counts[step] += other.counts[step]

    def document(self) -> dict[str, dict[str, float]]:
        """{step: {"count": n, "ms": total}} in the order the steps run (the run record's ``steps``)."""
        return {step: {"count": self.counts[step], "ms": round(self.seconds[step] * 1000, 1)} for step in STEPS}

    def stats(self) -> Iterator[tuple[str, float]]:
        """The crawl's stats: ``store/step/<name>/count`` and ``store/step/<name>/ms``."""
        for step, numbers in self.document().items():
            for name, value in numbers.items():
                yield f"store/step/{step}/{name}", value
