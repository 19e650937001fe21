"""Translation helpers: every user-visible string goes through Qt's translator.

Non-widget code (services, printing, CLI) calls ``translate("Context", "Text")``;
``pyside6-lupdate`` extracts those calls into ``resources/i18n/shop_desk_zh_CN.ts``.

This module imports no Qt by itself: the service layer and printing work without PySide6.
:func:`translate` asks Qt's translator once Qt is loaded (the GUI, or a command that installed
a language with :func:`install_language`, which loads it); before that, and without Qt, there
is no translator installed and the source text is the answer, as Qt's would be.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from shop_desk.paths import resource_path

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QTranslator

SUPPORTED = ("en", "zh_CN")
_translators: list[QTranslator] = []
_language = "en"
#: Qt's translate, once PySide6.QtCore is loaded (looked up by :func:`translate`).
_qt_translate = None


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate ``text`` in ``context`` with the installed translator (source text if none).

    Without Qt loaded no translator can be installed, so the source text is returned (with
    ``%n`` filled in from ``n``, as Qt does)."""
    global _qt_translate
    if _qt_translate is None:
        qtcore = sys.modules.get("PySide6.QtCore")
        if qtcore is None:
            return text.replace("%n", str(n)) if n >= 0 else text
        _qt_translate = qtcore.QCoreApplication.translate
    return _qt_translate(context, text, disambiguation, n)


def counted(n: int, one: str, many: str, **fields: object) -> str:
    """``one`` for a single thing, else ``many`` (both already translated), with ``{n}`` and
    ``fields`` filled in: "1 car", "2 cars", never "1 cars". Both texts stay literal
    ``translate`` calls at the caller, so the translation tools find them."""
    return (one if n == 1 else many).format(n=n, **fields)


def join_list(items: Iterable[str], clauses: bool = False) -> str:
    """Items of a list in a message, joined as the current language writes them: Chinese
    "、" between names ("；" between clauses), English ", " ("; ")."""
    chinese = _language.startswith("zh")
    if clauses:
        return ("；" if chinese else "; ").join(items)
    return ("、" if chinese else ", ").join(items)


#: A name given in both languages; compiled at its first use by ``re`` (which keeps it), not at
#: import: a millisecond before the login window (issue 24).
_BILINGUAL = r"^(?P<zh>[^A-Za-z]*[\u3400-\u9fff][^A-Za-z]*?)\s+(?P<en>[A-Za-z].*)$"


def shown_name(name: str) -> str:
    """A name the shop's defaults give in both languages ("易损件 Wear parts") in the
    interface language ("易损件" / "Wear parts"); any other name as it is written."""
    m = re.match(_BILINGUAL, name or "")
    if m is None:
        return name
    return m.group("zh").strip() if _language.startswith("zh") else m.group("en").strip()


def current_language() -> str:
    """The interface language in use: 'en' or 'zh_CN' (printed forms follow it)."""
    return _language


def system_language() -> str:
    """zh_CN on a Chinese system locale, else English."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh_CN" if value.lower().startswith("zh") else "en"
    from PySide6.QtCore import QLocale

    name = QLocale.system().name()
    if not name:
        import locale  # seldom needed: not loaded at every start

        name = locale.getlocale()[0] or ""
    return "zh_CN" if name.lower().startswith("zh") else "en"


def install_language(language: str | None = None) -> str:
    """Load the translation for ``language`` (None = follow the system) into the application.

    Needs a QCoreApplication (or QApplication) instance. Returns the language used.
    """
    global _language
    from PySide6.QtCore import QCoreApplication, QLocale

    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language needs a QCoreApplication instance")
    lang = language or system_language()
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(SUPPORTED)}")
    for old in _translators:
        app.removeTranslator(old)
    _translators.clear()
    if lang != "en":
        # only here: PySide prepares each class at its first use (issue 24's start in English)
        from PySide6.QtCore import QLibraryInfo, QTranslator

        for name in (f"shop_desk_{lang}.qm", f"qtbase_{lang}.qm"):
            translator = QTranslator(app)
            path = resource_path("i18n", name)
            if path.exists() and translator.load(str(path)):
                app.installTranslator(translator)
                _translators.append(translator)
        qt_tr = QTranslator(app)
        if qt_tr.load(
            f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            app.installTranslator(qt_tr)
            _translators.append(qt_tr)
    QLocale.setDefault(
        QLocale(
            QLocale.Language.Chinese if lang == "zh_CN" else QLocale.Language.English,
            QLocale.Country.China if lang == "zh_CN" else QLocale.Country.UnitedKingdom,
        )
    )
    _language = lang
    return lang


def ensure_core_app() -> QCoreApplication:
    """A QCoreApplication for command-line use (translations need one)."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance()
    if app is None:
        app = QCoreApplication([])
    return app
