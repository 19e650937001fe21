"""Reading the tables an old system exports (.xlsx through openpyxl, .csv in UTF-8, UTF-8
with BOM or GB18030, which Chinese Excel writes) and recognising their columns by header,
in Chinese or English, so a file from the old DMS is read without retyping anything."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.services.base import shown

KINDS = ("customers", "vehicles", "history")

#: field -> the headers old systems write for it (compared without case, spaces and marks).
ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "客户名称",
        "客户姓名",
        "客户",
        "姓名",
        "车主",
        "车主姓名",
        "name",
        "customer",
        "customer name",
        "owner",
        "owner name",
    ),
    "phone": (
        "联系电话",
        "手机",
        "手机号",
        "手机号码",
        "电话",
        "客户电话",
        "phone",
        "mobile",
        "telephone",
        "tel",
        "phone number",
    ),
    "phone2": ("备用电话", "其他电话", "phone 2", "phone2", "second phone"),
    "company": ("单位", "公司", "公司名称", "单位名称", "company"),
    "address": ("地址", "联系地址", "address"),
    "notes": ("备注", "notes", "remarks", "remark"),
    "vin": ("车架号", "vin", "vin码", "车辆识别代号", "底盘号", "vin number", "chassis number"),
    "plate": (
        "车牌号",
        "车牌",
        "车牌号码",
        "plate",
        "plate number",
        "licence plate",
        "license plate",
        "registration",
    ),
    "make": ("品牌", "厂牌", "make", "brand"),
    "model": ("车型", "车系", "model"),
    "year": ("年款", "车型年份", "year", "model year"),
    "colour": ("颜色", "车身颜色", "colour", "color"),
    "sale_date": ("购车日期", "销售日期", "购买日期", "sale date", "purchase date", "date of sale"),
    "odometer_km": (
        "行驶里程",
        "里程",
        "里程数",
        "进厂里程",
        "公里数",
        "odometer",
        "mileage",
        "km",
        "odometer km",
        "odometer (km)",
    ),
    "date": (
        "维修日期",
        "进厂日期",
        "服务日期",
        "开单日期",
        "结算日期",
        "date",
        "service date",
        "repair date",
        "visit date",
    ),
    "order_number": (
        "工单号",
        "维修单号",
        "委托书号",
        "单号",
        "order number",
        "order no",
        "ro number",
        "work order",
        "repair order",
    ),
    "item": (
        "维修项目",
        "项目",
        "项目名称",
        "工作内容",
        "item",
        "job",
        "work",
        "description",
        "operation",
    ),
    "line_kind": ("类别", "项目类别", "类型", "kind", "line kind", "type"),
    "amount": ("金额", "费用", "应收金额", "amount", "price", "total", "line total"),
    "pay_type": ("付费方式", "收费类型", "结算类型", "付费类型", "pay type", "payer", "paid by"),
}

#: The fields each kind reads; the first group must be mapped (any one column of each tuple).
FIELDS: dict[str, tuple[str, ...]] = {
    "customers": (
        "name",
        "phone",
        "phone2",
        "company",
        "address",
        "notes",
        "vin",
        "plate",
        "make",
        "model",
        "year",
        "colour",
        "sale_date",
        "odometer_km",
    ),
    "vehicles": (
        "vin",
        "plate",
        "make",
        "model",
        "year",
        "colour",
        "sale_date",
        "odometer_km",
        "name",
        "phone",
        "notes",
    ),
    "history": (
        "order_number",
        "date",
        "vin",
        "plate",
        "odometer_km",
        "item",
        "line_kind",
        "amount",
        "pay_type",
    ),
}
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "customers": (("name",), ("phone",)),
    "vehicles": (("vin",),),
    "history": (("order_number",), ("date",), ("vin", "plate"), ("item",), ("amount",)),
}


def field_label(field: str) -> str:
    """The field's name on screen."""
    labels = {
        "name": translate("Import", "Customer name"),
        "phone": translate("Import", "Phone"),
        "phone2": translate("Import", "Second phone"),
        "company": translate("Import", "Company"),
        "address": translate("Import", "Address"),
        "notes": translate("Import", "Notes"),
        "vin": translate("Import", "VIN"),
        "plate": translate("Import", "Plate"),
        "make": translate("Import", "Make"),
        "model": translate("Import", "Model"),
        "year": translate("Import", "Model year"),
        "colour": translate("Import", "Colour"),
        "sale_date": translate("Import", "Sale date"),
        "odometer_km": translate("Import", "Odometer (km)"),
        "date": translate("Import", "Repair date"),
        "order_number": translate("Import", "Original order number"),
        "item": translate("Import", "Job item"),
        "line_kind": translate("Import", "Labour or part"),
        "amount": translate("Import", "Amount"),
        "pay_type": translate("Import", "Pay type"),
    }
    return labels[field]


@dataclass
class Table:
    """A file's header row and its data rows as text (dates as ISO text, numbers as written)."""

    headers: list[str]
    rows: list[list[str]]
    name: str = ""


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-:：()（）/]", "", text)


_ALIAS_INDEX = {_key(alias): field for field, names in ALIASES.items() for alias in names}


def guess_mapping(
    kind: str, headers: Iterable[str], saved: dict[str, str] | None = None
) -> dict[str, str]:
    """Header -> field for the columns recognised (a saved mapping of the source wins);
    a field is given to its first column only."""
    allowed = set(FIELDS[kind])
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = (saved or {}).get(header) or _ALIAS_INDEX.get(_key(header), "")
        if field in allowed and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping


def check_table(table: object) -> Table:
    """What a caller hands over as a file read: a :class:`Table` of text rows, or refused."""
    if not (
        isinstance(table, Table)
        and isinstance(table.headers, list)
        and isinstance(table.rows, list)
        and all(isinstance(r, list) for r in table.rows)
    ):
        raise ValidationError(translate("Import", "The file's contents are not readable."), "file")
    return table


def check_mapping(kind: str, mapping: dict[str, str]) -> None:
    """Refuse a mapping that misses a field the kind needs, or maps one field twice."""
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in mapping.items()
    ):
        raise ValidationError(
            translate("Import", "The columns' mapping is not readable."), "mapping"
        )
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValidationError(
            translate("Import", "Unknown kind of import: {kind}.").format(kind=shown(kind)), "kind"
        )
    used = [f for f in mapping.values() if f]
    unknown = [f for f in used if f not in FIELDS[kind]]
    if unknown:
        raise ValidationError(
            translate("Import", "{field} is not a column of this kind of import.").format(
                field=shown(unknown[0])
            ),
            "mapping",
        )
    twice = sorted({f for f in used if used.count(f) > 1})
    if twice:
        raise ValidationError(
            translate("Import", "Two columns are mapped to {field}.").format(
                field=field_label(twice[0])
            ),
            "mapping",
        )
    for group in REQUIRED[kind]:
        if not set(group) & set(used):
            raise ValidationError(
                translate("Import", "No column is mapped to {field}.").format(
                    field=translate("Import", " or ").join(field_label(f) for f in group)
                ),
                "mapping",
            )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) first; otherwise GB18030, a superset of GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        translate(
            "Import",
            "The file is neither UTF-8 nor GB18030/GBK text. Please save it from Excel as "
            "CSV UTF-8 or as .xlsx.",
        ),
        "file",
    )


def read_table(path: str | Path) -> Table:
    """The first sheet of an .xlsx, or a .csv; empty rows are left out."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            import openpyxl

            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                raw = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
        elif suffix in (".csv", ".txt"):
            text = _decode(path.read_bytes())
            try:
                dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            raw = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
        else:
            raise ValidationError(
                translate("Import", "Please choose an .xlsx or .csv file."), "file"
            )
    except OSError as exc:
        raise ValidationError(
            translate("Import", "The file cannot be read: {error}.").format(error=exc), "file"
        ) from exc
    except ValidationError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError(
            translate("Import", "The file cannot be read as a spreadsheet: {error}.").format(
                error=exc
            ),
            "file",
        ) from exc
    raw = [row for row in raw if any(cell for cell in row)]
    if not raw:
        raise ValidationError(translate("Import", "The file has no rows."), "file")
    headers = [h or f"#{i + 1}" for i, h in enumerate(raw[0])]
    width = len(headers)
    rows = [(row + [""] * width)[:width] for row in raw[1:]]
    return Table(headers, rows, path.name)


def write_table(path: str | Path, headers: list[str], rows: list[list[str]]) -> Path:
    """Rows to an .xlsx or a .csv (UTF-8 with BOM, which Excel opens correctly)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            writer.writerows(rows)
    return path
