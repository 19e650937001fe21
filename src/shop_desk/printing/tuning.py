"""Two settings of ReportLab that make the forms faster, measured on a 60-line task order.

ReportLab's number formatting and string widths run in C (the ``rl-accel`` dependency).

**Compression.** ReportLab compresses every stream (pages, the embedded font subset, images)
at zlib's default level 6. Level 1 compresses a 60-line task order's streams in 1.35 ms instead
of 2.4 ms CPU (46 KB instead of 43 KB). Small, but a form goes to the printer or the preview
once, so time wins; the streams are ordinary FlateDecode streams either way.

**sameFrag.** Paragraphs compare neighbouring text fragments with ``sameFrag``; rl-accel's C
version (0.9.1) takes 22.7 µs a call, ReportLab's own Python version 2.5 µs (it reads the
fragments' ``__dict__``; the C one asks for each missing attribute and handles the error). A
60-line task order makes about 1,700 such calls: with the C version the render took 50 ms CPU
against 41 ms before rl-accel (``benchmarks/run.py``, ``print_task_order_60_lines``). The
Python version is ReportLab's ``_py_sameFrag``, word for word; the PDFs are the same byte for
byte (tests/printing/test_print_shortcuts.py).
"""

from __future__ import annotations

import zlib
from typing import Any

#: zlib level of the PDF's streams (1 = fastest).
COMPRESS_LEVEL = 1

_SAME_FRAG_KEYS = (
    "fontName",
    "fontSize",
    "textColor",
    "rise",
    "us_lines",
    "link",
    "backColor",
    "nobr",
)


def same_frag(f: Any, g: Any) -> bool:
    """ReportLab's pure-Python ``sameFrag`` (reportlab/lib/rl_accel.py ``_py_sameFrag``)."""
    fdict = f.__dict__
    gdict = g.__dict__
    if "cbDefn" in fdict or "lineBreak" in fdict or "cbDefn" in gdict or "lineBreak" in gdict:
        return False
    fg = fdict.get
    gg = gdict.get
    return [fg(k) for k in _SAME_FRAG_KEYS] == [gg(k) for k in _SAME_FRAG_KEYS]


class _FastZlib:
    """The ``zlib`` module as ReportLab's PDF writer sees it: compression at COMPRESS_LEVEL."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compress(data: bytes, level: int = COMPRESS_LEVEL) -> bytes:
        return zlib.compress(data, level)


def install() -> None:
    """Put both in place (idempotent)."""
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc
    from reportlab.platypus import paragraph

    if not isinstance(pdfdoc.zlib, _FastZlib):
        pdfdoc.zlib = _FastZlib()
    rl_accel.sameFrag = same_frag
    paragraph.sameFrag = same_frag
