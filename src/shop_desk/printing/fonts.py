"""The one embedded TrueType font of every printed form (Latin, digits and Chinese).

ReportLab embeds (subsets) TrueType fonts; its built-in CID fonts such as STSong-Light are not
embedded and print as boxes on a machine without them, so they are never used. The bundled
WenQuanYi Micro Hei (the first face of its upstream .ttc) is the default; a shop may set its
own file in the settings (ShopSettings.extra JSON: ``"print_font": "/path/font.ttf"`` and
optionally ``"print_font_index": 0`` for a collection).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from shop_desk import paths

log = logging.getLogger(__name__)

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}


def _register(path: Path, index: int) -> str:
    key = (str(path.resolve()), index)
    with _lock:
        name = _registered.get(key)
        if name is None:
            digest = hashlib.sha1(f"{key[0]}#{index}".encode()).hexdigest()[:8]
            name = f"ShopDeskFont-{digest}"
            font = TTFont(name, str(path), subfontIndex=index)
            pdfmetrics.registerFont(font)
            # <b>/<i> in paragraphs map to the same face (no bold face ships with the font).
            pdfmetrics.registerFontFamily(
                name, normal=name, bold=name, italic=name, boldItalic=name
            )
            _registered[key] = name
        return name


def bundled_font() -> str:
    """The bundled CJK font's registered name (loaded once per process)."""
    return _register(paths.font_path(), 0)


def font_for(extra: dict | None) -> str:
    """The font a form uses: the one set in the shop settings if it loads, else the bundled one."""
    spec = (extra or {}).get("print_font")
    if spec:
        path = Path(str(spec)).expanduser()
        try:
            index = int((extra or {}).get("print_font_index", 0) or 0)
            if not path.is_file():
                raise FileNotFoundError(str(path))
            return _register(path, index)
        except Exception as exc:  # a bad setting must not stop printing at the desk
            log.warning("print font %s cannot be used (%s); using the bundled font", path, exc)
    return bundled_font()
