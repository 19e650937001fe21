"""The return slip 退料单 (issue 22 §2): what came back, what the order's line keeps, the
technician's signature and the clerk's name; reprints are numbered copies; `shop-desk print
parts-return` prints it too."""

from __future__ import annotations

import io
from decimal import Decimal

import pypdf
import pytest

from factories import make_order
from shop_desk import cli, i18n
from shop_desk.db import close_database, open_database
from shop_desk.errors import DomainError
from shop_desk.models import JobLine, Part, RepairOrder, Staff, Team
from shop_desk.printing import document_title, print_to_file, render_document
from shop_desk.services import documents, parts, parts_returns, workshop
from shop_desk.states import State

PNG_SEED = 3


def text_of(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def returned_order() -> tuple[RepairOrder, str]:
    """An order whose tech1 drew 4 front brake pads and handed 1 back (signed)."""
    from shop_desk.demo import signature_png

    people = {s.login: s for s in Staff.select()}
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(
        people["supervisor"], order, Team.get(Team.name.startswith("机修一组")), people["tech1"]
    )
    workshop.accept_car(people["tech1"], order)
    pad = Part.get(Part.part_no == "PAD-F")
    line = JobLine.create(
        order=order,
        kind="part",
        part=pad,
        description=pad.name,
        quantity=Decimal("4"),
        unit_price=pad.unit_price,
    )
    parts.issue_parts(people["parts"], order, {line.id: "4"}, people["tech1"])
    slip = parts_returns.return_parts(
        people["parts"], order, {line.id: "1"}, people["tech1"], "只换了一侧 one side only"
    )
    parts_returns.sign_return_slip(people["tech1"], slip, signature_png(PNG_SEED))
    return RepairOrder.get_by_id(order.id), slip.number


def test_the_return_slip_prints_what_came_back_in_english(db):
    order, number = returned_order()
    assert "parts-return" in documents.available_documents(order.number)
    text = text_of(render_document("parts-return", number))
    for value in (
        "Return slip",
        number,
        order.number,
        "PAD-F",
        "B-01-1",
        "one side only",
        "Returned by (technician)",
        "Received by (parts clerk)",
        "赵磊 Zhao Lei",
        "何静 He Jing",
        "Left on the order",
    ):
        assert value in text, value
    assert "COPY" not in text
    # by the order's number: all its return slips
    assert number in text_of(render_document("parts-return", order.number))


def test_the_return_slip_follows_the_language(db, qapp):
    order, number = returned_order()
    try:
        text = text_of(render_document("parts-return", number, lang="zh_CN"))
    finally:
        i18n.install_language("en")
    # labels the shipped translation has; the new ones come with the .ts merge
    for value in ("工单", "库位", "维修技师", number, "前刹车片"):
        assert value in text.replace(" ", ""), value
    assert document_title("parts-return") == "Return slip"


def test_a_reprint_of_the_return_slip_is_a_numbered_copy(db, staff, tmp_path):
    order, number = returned_order()
    assert print_to_file("parts-return", number, tmp_path / "1.pdf") == 1
    assert print_to_file("parts-return", order.number, tmp_path / "2.pdf") == 2
    second = text_of((tmp_path / "2.pdf").read_bytes())
    assert "COPY" in second and "print no. 2" in second
    documents.record_printed(staff["parts"], "parts-return", number)
    assert documents.next_print_no("parts-return", number) == 4
    assert documents.next_print_no("parts-issue", number) == 1


def test_an_order_without_returns_has_no_return_slip(db):
    order = make_order(State.IN_PROGRESS)
    assert "parts-return" not in documents.available_documents(order.number)
    with pytest.raises(DomainError, match="No parts have been returned"):
        render_document("parts-return", order.number)


def test_shop_desk_print_parts_return(qapp, db_path, tmp_path, capsys):
    open_database(db_path)
    _, number = returned_order()
    close_database()
    out = tmp_path / "return.pdf"
    try:
        argv = ["--lang", "en", "print", "parts-return", number, "-o", str(out)]
        assert cli.main([*argv, "--db", str(db_path)]) == 0
    finally:
        i18n.install_language("en")
    text = text_of(out.read_bytes())
    assert "Return slip" in text and number in text
