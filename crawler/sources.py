"""Load and validate the sources file (TOML) into typed Source objects."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.etree import XPath, XPathSyntaxError
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipelines.page import ExtractRules

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


class SourcesError(ValueError):
    """A sources file that cannot be used; ``str()`` is one line naming file, source and field."""


class ExtractOverrides(BaseModel):
    """XPath overrides for a site where the generic extractor gets something wrong."""

    model_config = ConfigDict(extra="forbid")

    body_xpath: str | None = None
    title_xpath: str | None = None
    author_xpath: str | None = None
    date_xpath: str | None = None
    prune_xpath: list[str] = Field(default_factory=list)

    @field_validator("body_xpath", "title_xpath", "author_xpath", "date_xpath")
    @classmethod
    def _valid_xpath(cls, value: str | None) -> str | None:
        if value is not None:
            _compile_xpath(value)
        return value

    @field_validator("prune_xpath")
    @classmethod
    def _valid_xpaths(cls, value: list[str]) -> list[str]:
        for xpath in value:
            _compile_xpath(xpath)
        return value


def _compile_xpath(xpath: str) -> None:
    try:
        XPath(xpath)
    except XPathSyntaxError as exc:
        raise ValueError(f"invalid XPath {xpath!r}: {exc}") from None


class Source(BaseModel):
    """One site: where to discover its articles and how to treat them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", max_length=200)
    home: str
    allowed_domains: list[str] = Field(default_factory=list)
    feeds: list[str] = Field(default_factory=list)
    sitemaps: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)
    article_pattern: str | None = None
    timezone: str = "UTC"
    # Lives on a private or loopback address (or file://) on purpose: a mirror, an
    # intranet, the test fixtures. Live sources may not reach such addresses (SSRF).
    local: bool = False
    extract: ExtractOverrides = Field(default_factory=ExtractOverrides)

    @field_validator("article_pattern")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {value!r}: {exc}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown timezone {value!r} (use an IANA name like 'America/New_York')") from None
        return value

    @field_validator("home")
    @classmethod
    def _absolute_home(cls, value: str) -> str:
        if urlsplit(value).scheme not in ("http", "https"):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _has_entry_points(self) -> Source:
        if not (self.feeds or self.sitemaps or self.sections):
            raise ValueError("needs at least one of feeds, sitemaps or sections")
        return self

    @property
    def entry_urls(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *self.sections]

    @property
    def rules(self) -> ExtractRules:
        e = self.extract
        return ExtractRules(
            timezone=self.timezone,
            body_xpath=e.body_xpath,
            title_xpath=e.title_xpath,
            author_xpath=e.author_xpath,
            date_xpath=e.date_xpath,
            prune_xpath=tuple(e.prune_xpath),
        )

    @property
    def is_local(self) -> bool:
        """Declared local, or read from files (which cannot be anything else)."""
        return self.local or all(url.startswith("file:") for url in self.entry_urls)

    @property
    def origins(self) -> set[tuple[str, str]]:
        """(scheme, host:port) of the entry URLs."""
        return {(urlsplit(url).scheme, urlsplit(url).netloc) for url in self.entry_urls}

    def allows(self, url: str) -> bool:
        """Inside the source: an allowed domain, or under the folder of one of its entry URLs.

        The second rule is what lets a local mirror (file:// or a test server on
        127.0.0.1) stand in for the real site without listing loopback as a domain.
        """
        host = (urlsplit(url).hostname or "").lower()
        if any(host == d or host.endswith("." + d) for d in self.allowed_domains):
            return True
        return any(url.startswith(entry.rsplit("/", 1)[0] + "/") for entry in self.entry_urls)

    def is_article_url(self, url: str) -> bool:
        return self.article_pattern is None or re.search(self.article_pattern, url) is not None


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> SourcesFile:
        seen: set[str] = set()
        for source in self.source:
            if source.name in seen:
                raise ValueError(f"duplicate source name {source.name!r}")
            seen.add(source.name)
        return self


def _resolve(url: str, base: str) -> str:
    """Relative entries are relative to the sources file (or to an explicit base URL)."""
    return url if urlsplit(url).scheme else urljoin(base, url)


def _describe(path: Path, raw: dict[str, Any], error: ErrorDetails) -> str:
    loc = list(error["loc"])
    where = ""
    if len(loc) >= 2 and loc[0] == "source" and isinstance(loc[1], int):
        entries = raw.get("source", [])
        name = entries[loc[1]].get("name") if loc[1] < len(entries) and isinstance(entries[loc[1]], dict) else None
        where = f"source {name!r}" if name else f"source #{loc[1] + 1}"
        loc = loc[2:]
    field = ".".join(str(part) for part in loc)
    message = error["msg"].removeprefix("Value error, ")
    parts = [str(path), where, f"field {field!r}" if field else ""]
    return ": ".join(p for p in parts if p) + f": {message}"


def load_sources(path: str | Path, *, base_url: str | None = None, only: str | None = None) -> list[Source]:
    """Read and validate a sources file; raise SourcesError with one clear line."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such sources file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    try:
        parsed = SourcesFile.model_validate(raw)
    except ValidationError as exc:
        raise SourcesError(_describe(path, raw, exc.errors()[0])) from None
    base = base_url or path.resolve().parent.as_uri() + "/"
    sources = [
        source.model_copy(
            update={
                "feeds": [_resolve(u, base) for u in source.feeds],
                "sitemaps": [_resolve(u, base) for u in source.sitemaps],
                "sections": [_resolve(u, base) for u in source.sections],
            }
        )
        for source in parsed.source
    ]
    if only is not None:
        sources = [s for s in sources if s.name == only]
        if not sources:
            names = ", ".join(s.name for s in parsed.source)
            raise SourcesError(f"{path}: no source named {only!r} (have: {names})")
    return sources
