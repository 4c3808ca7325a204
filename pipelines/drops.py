"""One DropItem subclass per rejection reason, so CoreStats counts each reason by name."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from pipelines import errors

_DROP_CLASSES: dict[type[errors.RejectedPage], type[DropItem]] = {
    reason: type(reason.__name__, (DropItem,), {"__doc__": reason.__doc__})
    for reason in errors.RejectedPage.__subclasses__()
}


def drop_for(exc: errors.RejectedPage, url: str) -> DropItem:
    """The DropItem for ``exc``; its message names the URL and the reason on one line."""
    return _DROP_CLASSES.get(type(exc), DropItem)(f"{url}: {exc}", log_level="INFO")
