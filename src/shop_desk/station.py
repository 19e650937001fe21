"""Settings of this PC (this "station"), kept on the PC and not in the shared database.

When several PCs share one database on a server, what belongs to the desk rather than to
the shop lives here: the station's name (written in the log at every start, so the shop's IT
can tell the PCs apart), the default printer for each kind of document (preselected in the
print dialog), and which board variant a TV PC shows (the workshop board or the customer
lounge view). ``shop-desk station`` shows and changes them.

Stored with QSettings in an INI file in the user data folder (``station.ini``): on Windows
that folder is in the *local* (not roaming) application data, so the settings stay with
this PC; tests and a second installation on the same PC (``SHOP_DESK_DATA_DIR``) get their
own file.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from shop_desk import paths
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.station_name import (
    NAME_KEY,
    clean_text,
    qsettings,
    settings_file,
    station_name,
)

#: Board variants a display PC can show.
BOARD_VARIANTS = ("workshop", "lounge")
DEFAULT_BOARD_VARIANT = "workshop"
MAX_NAME = 60

_BOARD_KEY = "station/board_variant"
_PRINTER_KEY = "printers/{kind}"

__all__ = ["paths", "settings_file", "station_name"]


def _document_kinds() -> tuple[str, ...]:
    from shop_desk.printing import KINDS

    return KINDS


def _check_kind(kind: str) -> str:
    if kind not in _document_kinds():
        raise ValidationError(
            translate(
                "StationSettings", "{kind} is not a kind of document shop-desk prints."
            ).format(kind=str(kind)[:40]),
            "kind",
        )
    return kind


def _save(key: str, value: str | None) -> None:
    settings = qsettings()
    if value:
        settings.setValue(key, value)
    else:
        settings.remove(key)
    settings.sync()
    if settings.status() != QSettings.Status.NoError:
        raise OSError(
            translate(
                "StationSettings", "The settings of this PC could not be saved to {path}."
            ).format(path=settings_file())
        )


def set_station_name(name: str) -> str:
    """Name this PC (e.g. "Reception 1"); an empty name goes back to the computer's name."""
    if not isinstance(name, str):
        raise ValidationError(
            translate("StationSettings", "The station name must be text."), "name"
        )
    text = " ".join(name.split())
    if len(text) > MAX_NAME:
        raise ValidationError(
            translate(
                "StationSettings", "The station name is too long (at most {n} characters)."
            ).format(n=MAX_NAME),
            "name",
        )
    _save(NAME_KEY, text)
    return station_name()


def default_printer(kind: str) -> str | None:
    """The printer this PC uses for documents of ``kind`` (e.g. "settlement"); None: ask
    (or the system's default printer)."""
    return clean_text(qsettings().value(_PRINTER_KEY.format(kind=_check_kind(kind)), "")) or None


def set_default_printer(kind: str, name: str | None) -> None:
    """Remember the printer for ``kind`` on this PC; None or "" forgets it."""
    _check_kind(kind)
    if name is not None and not isinstance(name, str):
        raise ValidationError(
            translate("StationSettings", "The printer name must be text."), "printer"
        )
    _save(_PRINTER_KEY.format(kind=kind), clean_text(name))


def printer_for(kind: str) -> str | None:
    """:func:`default_printer` for the print dialog: None for a kind without one (or a
    document that is not one of the printed forms) instead of an error."""
    return default_printer(kind) if kind in _document_kinds() else None


def default_printers() -> dict[str, str | None]:
    """Every document kind with this PC's printer for it (None: none chosen)."""
    return {kind: default_printer(kind) for kind in _document_kinds()}


def board_variant() -> str:
    """What a display on this PC shows: "workshop" (the workshop board) or "lounge" (the
    customer lounge view)."""
    value = clean_text(qsettings().value(_BOARD_KEY, ""))
    return value if value in BOARD_VARIANTS else DEFAULT_BOARD_VARIANT


def set_board_variant(variant: str) -> None:
    if variant not in BOARD_VARIANTS:
        raise ValidationError(
            translate("StationSettings", "The board variant must be one of: {variants}.").format(
                variants=", ".join(BOARD_VARIANTS)
            ),
            "variant",
        )
    _save(_BOARD_KEY, variant)
