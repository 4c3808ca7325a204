"""The settings tables of docs/crawling.md and docs/distributed.md against the code, and one
home for every default (crawler/settings.py's docstring states the rule).

A table's first column names settings; its second gives their defaults (crawling.md) or
their values in fleet mode (distributed.md), one per name, comma-separated. A value
written as a literal (`True`, `2.0`, `newsdedup:host:`, 16 MiB, `module.Class: 950` for
an entry of a component dict) must equal the effective one: crawler/settings.py over
Scrapy's defaults, and the config dataclasses' fields (pipelines/settings_reader.py).
Words (“required, e.g. …”) and `$ENVIRONMENT` values are not checked.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import BaseSettings, Settings

import crawler.settings as project
from crawler.fleet import FleetMode
from pipelines.analysis import AnalyzeConfig
from pipelines.boilerplate import BoilerplateConfig
from pipelines.crawl_store import StoreConfig
from pipelines.dedup.config import DedupConfig
from pipelines.extract import ExtractConfig
from pipelines.settings_reader import setting_defaults
from storage.versions import HistoryConfig
from tests.conftest import ROOT

# Every config dataclass read from settings (crawler/settings.py's docstring lists them).
CONFIGS = (DedupConfig, ExtractConfig, AnalyzeConfig, BoilerplateConfig, HistoryConfig, StoreConfig)
NAME = re.compile(r"`\$?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=[^`]*)?`")
# A table's first column names settings only, so one word (`SCHEDULER`) is one there too.
TABLE_NAME = re.compile(r"`\$?([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)(?:=[^`]*)?`")
SIZE = re.compile(r"^(\d+) (KiB|MiB|GiB)$")


def dataclass_defaults() -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for cls in CONFIGS:
        defaults.update(setting_defaults(cls))
    return defaults


def effective(fleet: bool = False) -> dict[str, Any]:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    if fleet:
        settings.set("NEWSDEDUP_FRONTIER", "redis://127.0.0.1:6379/0", "cmdline")
        settings.set("FLEET_RUN", "docs", "cmdline")
        settings.set("NEWSDEDUP_DATABASE_URL", "postgresql+psycopg://db.example/news", "cmdline")
        FleetMode().update_settings(settings)
    values = {name: settings[name] for name in settings}
    # Component dicts (DOWNLOADER_MIDDLEWARES…) are settings objects of their own.
    values = {name: {k: v[k] for k in v} if isinstance(v, BaseSettings) else v for name, v in values.items()}
    return {**dataclass_defaults(), **values}


def table_rows(path: Path) -> list[tuple[list[str], str]]:
    """(setting names, value cell) of every row of the tables whose first column is "setting"."""
    rows, in_table = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            in_table = False
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "setting":
            in_table = True
        elif in_table and not set(cells[0]) <= set("-: "):
            rows.append((TABLE_NAME.findall(cells[0]), cells[1]))
    return rows


def literal(part: str) -> tuple[bool, Any]:
    """(True, value) when a value cell's part is a literal, else (False, None)."""
    if size := SIZE.match(part):
        return True, int(size[1]) * 1024 ** {"KiB": 1, "MiB": 2, "GiB": 3}[size[2]]
    if not (part.startswith("`") and part.endswith("`") and part.count("`") == 2) or part.startswith("`$"):
        return False, None
    token = part[1:-1]
    try:
        return True, ast.literal_eval(token)
    except (ValueError, SyntaxError):
        return True, token


def component_key(key: Any) -> str:
    return key if isinstance(key, str) else f"{key.__module__}.{key.__qualname__}"


def check(path: Path, values: dict[str, Any]) -> list[str]:
    wrong = []
    for names, cell in table_rows(path):
        parts = [part.strip() for part in cell.split(", ")] if cell else []
        for i, name in enumerate(names):
            if name not in values:
                wrong.append(f"{path.name}: {name}: no such setting")
                continue
            if len(parts) != len(names):
                continue  # a sentence, not one value per name
            is_literal, documented = literal(parts[i])
            actual = values[name]
            if not is_literal:
                continue
            if isinstance(actual, dict) and isinstance(documented, str) and ": " in documented:
                key, _, order = documented.rpartition(": ")
                entries = {component_key(k): v for k, v in actual.items()}
                if entries.get(key) != int(order):
                    wrong.append(f"{path.name}: {name}: docs {documented!r}, code {entries}")
            elif documented != actual and str(documented) != str(actual):
                wrong.append(f"{path.name}: {name}: docs {documented!r}, code {actual!r}")
    return wrong


@pytest.mark.parametrize(("doc", "fleet"), [("crawling.md", False), ("distributed.md", True)])
def test_the_settings_tables_say_what_the_code_does(doc: str, fleet: bool) -> None:
    assert table_rows(ROOT / "docs" / doc), f"{doc}: no settings table found"
    assert check(ROOT / "docs" / doc, effective(fleet)) == []


@pytest.mark.parametrize("doc", ["crawling.md", "distributed.md"])
def test_every_setting_the_docs_name_exists(doc: str) -> None:
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    names = {m[1] for m in NAME.finditer(text) if not m[0].startswith("`$")}
    assert sorted(names - set(effective(fleet=True))) == []


def test_a_dataclass_default_is_not_repeated_in_the_settings_module() -> None:
    assert sorted(set(dataclass_defaults()) & set(vars(project))) == []


def _fallbacks(path: Path) -> list[str]:
    """Calls like settings.getint("NAME", 500): a setting read with a default of its own."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, ast.unparse(node.func.value)
        if method not in ("get", "getint", "getfloat", "getbool", "getlist", "getdict") or "environ" in receiver:
            continue
        args = node.args
        if len(args) + len(node.keywords) >= 2 and isinstance(args[0], ast.Constant):
            name = args[0].value
            if isinstance(name, str) and re.fullmatch(r"[A-Z][A-Z0-9_]+", name):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_setting_is_read_with_a_default_of_its_own() -> None:
    found = []
    for package in ("cli", "crawler", "pipelines", "storage"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path != ROOT / "crawler" / "settings.py":
                found += _fallbacks(path)
    assert found == []
