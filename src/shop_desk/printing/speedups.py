"""Memoised stand-ins for two of ReportLab's pure-Python fallbacks (number formatting and
TrueType string widths), used only when its optional C accelerator (``rl-accel``) is absent,
and faster compression of the PDF's streams.

Without the accelerator ReportLab formats every PDF number (``fp_str``) and measures every
string (``instanceStringWidthTTF``) in Python: a 60-line task order does about 2,000 of each,
a fifth of its rendering time. The same coordinates, sizes and cell texts come back again and
again, so both are remembered here. Each new value is computed by ReportLab's own function, so
the PDF is byte for byte what it would have been. :func:`install` runs once when the printing
package loads.

ReportLab compresses every stream (pages, the embedded font subset, images) at zlib's default
level 6. Level 1 takes about 40 % of the time for files about 15 % larger (a 60-line task order:
9 ms → 4 ms, 50 → 57 KB); a form goes to the printer or the preview once, so time wins.
"""

from __future__ import annotations

import sys
import zlib
from collections.abc import Callable
from typing import Any

#: Entries kept per cache before it starts over (a few MB at most).
MAX_ENTRIES = 50_000

#: zlib level of the PDF's streams (1 = fastest; still an ordinary FlateDecode stream).
COMPRESS_LEVEL = 1

_installed: bool | None = None


def _memo_fp_str(original: Callable[..., str]) -> Callable[..., str]:
    cache: dict[Any, str] = {}

    def fp_str(*a: Any) -> str:
        if len(a) == 1 and isinstance(a[0], list | tuple):
            a = a[0]
        get = cache.get
        out = []
        try:
            for v in a:
                s = get(v)
                if s is None:
                    s = original(v)
                    if len(cache) >= MAX_ENTRIES:
                        cache.clear()
                    cache[v] = s
                out.append(s)
        except TypeError:  # something unhashable: ReportLab's own answer
            return original(*a)
        return " ".join(out)

    fp_str.__wrapped__ = original  # type: ignore[attr-defined]
    return fp_str


def _memo_ttf_width() -> Callable[..., float]:
    cache: dict[tuple[Any, str], float] = {}

    def instance_string_width_ttf(
        self: Any, text: Any, size: float, encoding: str = "utf8"
    ) -> float:
        """Same arithmetic as ReportLab's: 0.001 * size * the sum of the glyph widths."""
        if not isinstance(text, str):
            text = text.decode(encoding or "utf8")
        face = self.face
        key = (face, text)
        total = cache.get(key)
        if total is None:
            g = face.charWidths.get
            dw = face.defaultWidth
            total = sum(g(ord(u), dw) for u in text)
            if len(cache) >= MAX_ENTRIES:
                cache.clear()
            cache[key] = total
        return 0.001 * size * total

    return instance_string_width_ttf


class _FastZlib:
    """The ``zlib`` module as ReportLab's PDF writer sees it: compression at COMPRESS_LEVEL."""

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def compress(data: bytes, level: int = COMPRESS_LEVEL) -> bytes:
        return zlib.compress(data, level)


def install() -> bool:
    """Put the faster compression and the memoised functions in place (once); returns whether
    Python fallbacks were replaced (False when the C accelerator is in use)."""
    global _installed
    if _installed is not None:
        return _installed
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import pdfdoc, ttfonts

    pdfdoc.zlib = _FastZlib()

    py_funcs = getattr(rl_accel, "_py_funcs", {})
    done = False
    if "fp_str" in py_funcs:
        original = rl_accel.fp_str
        fast = _memo_fp_str(original)
        rl_accel.fp_str = fast
        for name, module in list(sys.modules.items()):
            if name.startswith("reportlab.") and getattr(module, "fp_str", None) is original:
                module.fp_str = fast
        done = True
    if "instanceStringWidthTTF" in py_funcs:
        fast_width = _memo_ttf_width()
        rl_accel.instanceStringWidthTTF = fast_width
        ttfonts.instanceStringWidthTTF = fast_width
        done = True
    _installed = done
    return done
