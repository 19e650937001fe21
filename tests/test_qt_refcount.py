"""Regression guard: PySide6 6.12.0 on CPython 3.11 drops a reference to None on every
QLabel.setText, until the interpreter dies with "none_dealloc" (pyproject pins <6.12 there).

On CPython 3.12+ None is immortal and its reference count never moves, so the test passes
trivially there; on 3.11 it catches the leak within a few thousand calls.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel

CALLS = 2000
TOLERANCE = 50  # the leak is one reference per call: 2000


def test_set_text_does_not_leak_references_to_none(qapp):
    label = QLabel()
    for i in range(100):  # warm up caches (interned strings, method lookups)
        label.setText(f"warm {i}")
    before = sys.getrefcount(None)
    for i in range(CALLS):
        label.setText(f"text {i}")
        label.setText("")
    after = sys.getrefcount(None)
    assert abs(after - before) <= TOLERANCE, (
        f"None refcount drifted by {after - before} over {CALLS} setText calls"
    )
    assert label.text() == ""
