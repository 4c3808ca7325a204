"""Config dataclasses from Scrapy settings: the one reader of every setting whose default
lives on a dataclass field (crawler/settings.py says which those are).

A dataclass with ``SETTINGS_PREFIX = "DEDUP"`` reads each scalar field (bool, int, float,
str, each optionally None) from the setting ``DEDUP_<FIELD>`` when it is set, and keeps
the field's default when it is not; ``field(metadata=setting("COMMENTS_ENABLED"))``
names another setting, ``setting(None)`` none. So the crawl, the importer, ``reprocess``
and a test's ``get_crawler()`` all get one default, and the docs' tables are checked
against ``setting_defaults`` (tests/test_settings_docs.py). No Scrapy import: settings
are duck-typed (``get``, ``getbool``).
"""

from __future__ import annotations

from dataclasses import MISSING, Field, fields
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# Field metadata key: the setting a field is read from (None: not a setting).
SETTING = "newsdedup_setting"
_NONE = ("", "None", "none")


class _Settings(Protocol):
    def get(self, name: str, default: Any = None) -> Any: ...
    def getbool(self, name: str, default: bool = False) -> bool: ...


C = TypeVar("C", bound="DataclassInstance")


def setting(name: str | None) -> dict[str, str | None]:
    """Field metadata: read this field from setting ``name`` (None: from no setting)."""
    return {SETTING: name}


def _kind(spec: Field[Any]) -> tuple[str, bool]:
    """The field's scalar type name ('' when not scalar) and whether it may be None."""
    annotation = spec.type if isinstance(spec.type, str) else getattr(spec.type, "__name__", "")
    parts = [part.strip() for part in annotation.split("|")]
    optional = "None" in parts
    rest = [part for part in parts if part != "None"]
    kind = rest[0] if len(rest) == 1 and rest[0] in ("bool", "int", "float", "str") else ""
    return kind, optional


def setting_names(cls: type[DataclassInstance]) -> dict[str, str]:
    """{setting name: field name} of the fields ``cls`` reads from settings."""
    prefix = getattr(cls, "SETTINGS_PREFIX", None)
    names = {}
    for spec in fields(cls):
        if SETTING in spec.metadata:
            name = spec.metadata[SETTING]
        else:
            name = f"{prefix}_{spec.name.upper()}" if prefix and _kind(spec)[0] else None
        if name:
            names[name] = spec.name
    return names


def setting_defaults(cls: type[DataclassInstance]) -> dict[str, Any]:
    """{setting name: its default} for the settings ``cls`` reads: the docs' reference."""
    specs = {spec.name: spec for spec in fields(cls)}
    defaults = {}
    for name, field_name in setting_names(cls).items():
        spec = specs[field_name]
        if spec.default is not MISSING:
            defaults[name] = spec.default
        elif spec.default_factory is not MISSING:
            defaults[name] = spec.default_factory()
    return defaults


def from_settings(cls: type[C], settings: _Settings, **given: Any) -> C:
    """``cls`` with each of its settings that is set, its field defaults for the others,
    and ``given`` as they are (what comes from elsewhere: the spider, another config)."""
    specs = {spec.name: spec for spec in fields(cls)}
    values: dict[str, Any] = dict(given)
    for name, field_name in setting_names(cls).items():
        if field_name in given or (raw := settings.get(name)) is None:
            continue
        kind, optional = _kind(specs[field_name])
        if optional and raw in _NONE:
            values[field_name] = None
        elif kind == "bool":
            values[field_name] = settings.getbool(name)
        elif kind == "int":
            values[field_name] = int(raw)
        elif kind == "float":
            values[field_name] = float(raw)
        else:
            values[field_name] = str(raw)
    return cls(**values)
