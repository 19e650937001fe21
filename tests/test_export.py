"""CSV and XLSX export: Chinese text survives Excel, numbers stay numbers, headers are bold."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from shop_desk.errors import DomainError
from shop_desk.export import display_width, sheet_title, text_table, write_csv, write_xlsx

ROWS = [
    ("工单 Order", "金额 Amount", "日期 Date", "数量"),
    ("RO261102-001", Decimal("1409.50"), dt.date(2026, 11, 2), 3),
    ("刹车时有异响，踩刹车发软", Decimal("-12.05"), dt.datetime(2026, 11, 2, 9, 30), None),
    ('quote " and, comma', Decimal("0.00"), None, 0),
]


def test_csv_round_trip_with_bom(tmp_path):
    path = write_csv(ROWS, tmp_path / "report.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        back = list(csv.reader(fh))
    assert back == [
        ["工单 Order", "金额 Amount", "日期 Date", "数量"],
        ["RO261102-001", "1409.50", "2026-11-02", "3"],
        ["刹车时有异响，踩刹车发软", "-12.05", "2026-11-02 09:30", ""],
        ['quote " and, comma', "0.00", "", "0"],
    ]
    assert not list(tmp_path.glob(".*.part")), "no temporary file left behind"


def test_xlsx_round_trip_bold_header_and_widths(tmp_path):
    path = write_xlsx({"汇总 Summary": ROWS, "Empty": [("Only a header",)]}, tmp_path / "r.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["汇总 Summary", "Empty"]
    ws = wb["汇总 Summary"]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0] == ["工单 Order", "金额 Amount", "日期 Date", "数量"]
    assert values[1][0] == "RO261102-001"
    assert Decimal(str(values[1][1])) == Decimal("1409.50")  # a number, not text
    assert values[1][2].date() == dt.date(2026, 11, 2)
    assert values[1][3] == 3
    assert values[2][0] == "刹车时有异响，踩刹车发软"
    assert values[2][2] == dt.datetime(2026, 11, 2, 9, 30)
    assert values[2][3] is None
    assert all(cell.font.bold for cell in ws[1])
    assert not ws["A2"].font.bold
    assert ws["B2"].number_format == "#,##0.00"
    # the Chinese complaint (12 wide characters = 24 columns) sets the width of column A
    assert ws.column_dimensions["A"].width == display_width("刹车时有异响，踩刹车发软") + 2
    assert ws.freeze_panes == "A2"
    assert [c.value for c in wb["Empty"][1]] == ["Only a header"]


def test_sheet_titles_are_made_valid_and_unique():
    taken: set[str] = set()
    assert (
        sheet_title("Hours sold / clocked: teams [all]", taken) == "Hours sold _ clocked_ teams _al"
    )
    long = "x" * 40
    assert sheet_title(long, taken) == "x" * 31
    assert sheet_title(long, taken) == "x" * 27 + " (2)"
    assert sheet_title("", taken) == "Sheet"


def test_unwritable_path_is_a_readable_error(tmp_path):
    target = tmp_path / "missing-folder" / "r.csv"
    with pytest.raises(DomainError, match="Could not write"):
        write_csv(ROWS, target)
    with pytest.raises(DomainError, match="Could not write"):
        write_xlsx({"a": ROWS}, tmp_path / "missing-folder" / "r.xlsx")


def test_text_table_aligns_wide_characters_and_numbers():
    text = text_table([("名称", "Qty"), ("刹车片", Decimal("2.00")), ("Oil filter", 12)])
    lines = text.splitlines()
    assert lines[0] == "名称         Qty"
    assert lines[1] == "----------  ----"
    assert lines[2] == "刹车片      2.00"
    assert lines[3] == "Oil filter    12"
    assert {display_width(line) for line in lines} == {16}
