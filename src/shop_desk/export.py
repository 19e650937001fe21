"""Tables out of the program: CSV for any spreadsheet, XLSX for Excel, aligned plain text.

A table is a list of rows, the first row being the header. Cells may be text, numbers
(int / Decimal), dates, datetimes, booleans or None. CSV is written as UTF-8 *with* a byte
order mark so that Excel on a Chinese Windows opens it as UTF-8 instead of GBK; XLSX keeps
numbers and dates as real cells (bold header, fitted column widths). Files are written to a
temporary name first and moved into place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path

from shop_desk.errors import DomainError
from shop_desk.i18n import translate

Row = Sequence[object]

#: Characters Excel does not allow in a sheet name, and its length limit.
_BAD_SHEET_CHARS = set("[]:*?/\\")
_SHEET_NAME_MAX = 31
_MAX_COLUMN_WIDTH = 60


def cell_text(value: object) -> str:
    """One cell as text: Decimal as written, dates ISO, datetimes to the minute, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return translate("Export", "Yes") if value else translate("Export", "No")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display_width(text: str) -> int:
    """Columns the text takes in a terminal or a fixed-width font (CJK characters count 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def text_table(rows: Iterable[Row], indent: str = "") -> str:
    """An aligned plain-text table (header, a rule, the rows); numbers aligned right."""
    rows_list = [list(row) for row in rows]
    cells = [[cell_text(v) for v in row] for row in rows_list]
    if not cells:
        return ""
    ncols = max(len(r) for r in cells)
    for r in cells:
        r.extend([""] * (ncols - len(r)))
    widths = [max(display_width(r[i]) for r in cells) for i in range(ncols)]
    numeric = [True] * ncols  # columns whose filled cells are all numbers align right
    seen = [False] * ncols
    for row in rows_list[1:]:
        for ci, value in enumerate(row):
            if value is None or value == "":
                continue
            seen[ci] = True
            if not isinstance(value, int | Decimal) or isinstance(value, bool):
                numeric[ci] = False
    right = [n and s for n, s in zip(numeric, seen, strict=True)]

    lines = []
    for ri, row in enumerate(cells):
        parts = []
        for ci, text in enumerate(row):
            pad = " " * (widths[ci] - display_width(text))
            parts.append(pad + text if right[ci] else text + pad)
        lines.append(indent + "  ".join(parts).rstrip())
        if ri == 0:
            lines.append(indent + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _temp_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.part")


def _write_failed(path: Path, exc: OSError) -> DomainError:
    return DomainError(
        translate("Export", "Could not write {path}: {error}").format(
            path=path, error=exc.strerror or exc
        )
    )


def write_csv(rows: Iterable[Row], path: str | Path) -> Path:
    """Write a table as CSV in UTF-8 with BOM (Excel then shows Chinese text correctly)."""
    path = Path(path)
    tmp = _temp_for(path)
    try:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            for row in rows:
                writer.writerow([cell_text(v) for v in row])
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_failed(path, exc) from exc
    return path


def sheet_title(name: str, taken: set[str] | None = None) -> str:
    """A sheet name Excel accepts: no []:*?/\\, at most 31 characters, unique in ``taken``."""
    clean = "".join("_" if ch in _BAD_SHEET_CHARS else ch for ch in str(name)).strip().strip("'")
    clean = clean or "Sheet"
    base = clean[:_SHEET_NAME_MAX]
    title = base
    n = 2
    taken = taken if taken is not None else set()
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title


def _xlsx_value(value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, int | Decimal | dt.date | dt.datetime):
        return value
    return str(value)


def write_xlsx(sheets: Mapping[str, Iterable[Row]], path: str | Path) -> Path:
    """Write one sheet per table (bold header row, frozen below it, widths fitted to the text)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    bold = Font(bold=True)
    for name, rows in sheets.items() if sheets else [("Sheet", [])]:
        ws = wb.create_sheet(sheet_title(name, taken))
        widths: dict[int, int] = {}
        for ri, row in enumerate(rows, start=1):
            ws.append([_xlsx_value(v) for v in row])
            for ci, value in enumerate(row, start=1):
                cell = ws.cell(row=ri, column=ci)
                if ri == 1:
                    cell.font = bold
                elif isinstance(value, Decimal):
                    places = (
                        -value.as_tuple().exponent
                        if isinstance(value.as_tuple().exponent, int)
                        else 0
                    )
                    cell.number_format = "#,##0." + "0" * places if places > 0 else "#,##0"
                elif isinstance(value, dt.datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
                widths[ci] = max(widths.get(ci, 0), display_width(cell_text(value)))
        for ci, width in widths.items():
            ws.column_dimensions[get_column_letter(ci)].width = min(_MAX_COLUMN_WIDTH, width + 2)
        if ws.max_row > 1:
            ws.freeze_panes = "A2"
    tmp = _temp_for(path)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _write_failed(path, exc) from exc
    return path
