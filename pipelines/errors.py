"""Why a fetched page is not stored. Pure exceptions; the pipelines turn them into drops."""

from __future__ import annotations


class RejectedPage(Exception):
    """A page that is not stored as an article; ``str(exc)`` is the one-line reason."""


class NotHtml(RejectedPage):
    """Binary or non-HTML content (PDF, image, JSON, …)."""


class EmptyPage(RejectedPage):
    """No bytes, or markup with no text in it."""


class PageTooLarge(RejectedPage):
    """Bigger than EXTRACT_MAX_BYTES: likely not an article, and costly to parse."""


class NotAnArticle(RejectedPage):
    """A listing, archive, tag or front page: teasers of several posts, not one post."""


class EmptyBody(RejectedPage):
    """An article page whose extracted main text is too short to be an article."""


class ExtractionFailed(RejectedPage):
    """The parser or extractor crashed on this page (logged with the error)."""
