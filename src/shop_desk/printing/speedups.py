"""Memoised stand-ins for two of ReportLab's pure-Python fallbacks (number formatting and
TrueType string widths), used only when its optional C accelerator (``rl-accel``) is absent.

Without the accelerator ReportLab formats every PDF number (``fp_str``) and measures every
string (``instanceStringWidthTTF``) in Python: a 60-line task order does about 2,000 of each,
a fifth of its rendering time. The same coordinates, sizes and cell texts come back again and
again, so both are remembered here. Each new value is computed by ReportLab's own function, so
the PDF is byte for byte what it would have been. :func:`install` runs once when the printing
package loads.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

#: Entries kept per cache before it starts over (a few MB at most).
MAX_ENTRIES = 50_000

_installed = False


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


def install() -> bool:
    """Put the memoised functions in place of the Python fallbacks (once); False when the C
    accelerator is in use and nothing needed doing."""
    global _installed
    if _installed:
        return True
    from reportlab.lib import rl_accel
    from reportlab.pdfbase import ttfonts

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
