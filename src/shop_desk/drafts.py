"""Autosaved drafts of forms in progress, so nothing typed is lost in a crash.

A draft is JSON in ``<data dir>/drafts/<key>.json``, written atomically (temp file + rename).
Forms save on every change (debounced by the UI), delete the draft when saved for real, and
on opening offer to restore what :func:`pending` lists.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shop_desk import paths


@dataclass(frozen=True)
class Draft:
    key: str
    title: str
    saved_at: dt.datetime
    data: dict[str, Any]


def _folder() -> Path:
    folder = paths.data_dir() / "drafts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _file(key: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)
    return _folder() / f"{safe}.json"


def save(key: str, title: str, data: dict[str, Any]) -> None:
    payload = {"key": key, "title": title, "saved_at": dt.datetime.now().isoformat(), "data": data}
    target = _file(key)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, target)


def load(key: str) -> Draft | None:
    path = _file(key)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Draft(
            raw["key"],
            raw.get("title", ""),
            dt.datetime.fromisoformat(raw["saved_at"]),
            raw["data"],
        )
    except (ValueError, KeyError, TypeError):
        return None


def discard(key: str) -> None:
    _file(key).unlink(missing_ok=True)


def pending() -> list[Draft]:
    """Every draft left behind (e.g. by a crash), newest first."""
    result = []
    for path in _folder().glob("*.json"):
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            result.append(
                Draft(
                    raw["key"],
                    raw.get("title", ""),
                    dt.datetime.fromisoformat(raw["saved_at"]),
                    raw["data"],
                )
            )
        except (ValueError, KeyError, TypeError):
            continue
    return sorted(result, key=lambda d: d.saved_at, reverse=True)
