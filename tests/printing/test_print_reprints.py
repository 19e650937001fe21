"""Issue 18: every reprint says 副本 / COPY with its print number, from the desk and from
``shop-desk print``; a used or voided gate pass says so across it and the gate refuses a
voided one by name; one plate format (粤B·12345) and English units on English forms."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from print_fixtures import build_full_order

from factories import make_line, make_order, make_vehicle
from shop_desk import cli, clock, i18n
from shop_desk.db import close_database, open_database
from shop_desk.errors import DomainError
from shop_desk.models import AuditLog, GatePass, OrderEvent, Part
from shop_desk.printing import print_to_file, render_document
from shop_desk.services import approvals, checkout, documents
from shop_desk.states import State


def pdf_text(pdf: bytes | Path) -> str:
    """The words on the pages: pdftotext where installed (as a reader of the paper would
    copy them), else pypdf."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
        return done.stdout.decode()
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def _settled_pass(staff, plate="粤B12345"):
    order = make_order(State.SETTLED, paid=True, vehicle=make_vehicle(plate=plate))
    return order, checkout.issue_gate_pass(staff["cashier"], order)


def _void(staff, order):
    request = approvals.request_approval(staff["advisor"], "void", order, None, "wrong price")
    granted = approvals.approve(staff["manager"], request, "1234")
    checkout.void_settlement(staff["cashier"], order, granted)


# --------------------------------------------------------------------------- reprints


def test_a_command_line_print_is_recorded_and_its_reprint_is_a_numbered_copy(db, staff, tmp_path):
    full = build_full_order()
    number = full.order.number
    assert print_to_file("settlement", number, tmp_path / "1.pdf") == 1
    first = pdf_text(tmp_path / "1.pdf")
    assert "COPY" not in first and "Settlement slip" in first
    # by the slip's own number: the same paper, so the second print
    assert print_to_file("settlement", full.settlement_number, tmp_path / "2.pdf") == 2
    assert "Reprint: COPY, print no. 2, not the original" in pdf_text(tmp_path / "2.pdf")
    events = OrderEvent.select().where(
        (OrderEvent.order == full.order) & (OrderEvent.kind == "printed")
    )
    assert [json.loads(e.data)["print_no"] for e in events.order_by(OrderEvent.id)] == [1, 2]
    assert all(e.by_id is None for e in events)
    assert (
        AuditLog.select()
        .where((AuditLog.action == "record_printed") & (AuditLog.staff_name == "command line"))
        .count()
        == 2
    )
    # a desk print afterwards is the third; the next one anywhere the fourth
    documents.record_printed(staff["cashier"], "settlement", number, True, 3)
    assert documents.next_print_no("settlement", number) == 4
    assert documents.next_print_no("gate-pass", number) == 1  # another document: an original


def test_shop_desk_print_marks_a_reprint_as_copy(qapp, db_path, tmp_path, capsys):
    """The command itself (no one signed in): the second ``shop-desk print`` of a form says
    COPY and its print number on the paper and on the terminal."""
    open_database(db_path)
    order = build_full_order().order
    close_database()
    outputs = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    said = []
    try:
        for out in outputs:
            argv = ["--lang", "en", "print", "gate-pass", order.number, "-o", str(out)]
            assert cli.main([*argv, "--db", str(db_path)]) == 0
            said.append(capsys.readouterr().out)
    finally:
        i18n.install_language("en")
    assert "COPY" not in pdf_text(outputs[0]) and "copy" not in said[0]
    assert "Reprint: COPY, print no. 2, not the original" in pdf_text(outputs[1])
    assert "Marked as a copy (print no. 2)." in said[1]


# --------------------------------------------------------------------------- gate pass


def test_a_used_gate_pass_prints_used_across_it(db, staff):
    order, gate_pass = _settled_pass(staff)
    clean = pdf_text(render_document("gate-pass", gate_pass.number))
    assert "USED" not in clean and "VOID" not in clean
    clock.set_now(clock.now().replace(hour=17, minute=15))
    checkout.use_gate_pass(staff["supervisor"], gate_pass.number)
    for key in (gate_pass.number, order.number):
        text = pdf_text(render_document("gate-pass", key))
        assert "USED" in text and "Used at the gate 2026-11-02 17:15" in text, key
        assert gate_pass.code in text


def test_a_voided_gate_pass_prints_void_and_its_code_is_refused_at_the_gate(db, staff):
    order, gate_pass = _settled_pass(staff)
    _void(staff, order)
    text = pdf_text(render_document("gate-pass", gate_pass.number))
    assert "VOID" in text and "does not let the car out" in text
    with pytest.raises(DomainError, match="not been settled"):  # the order has no valid pass
        render_document("gate-pass", order.number)
    for typed in (gate_pass.code, gate_pass.number, f"{gate_pass.number}|{gate_pass.code}"):
        status = checkout.gate_status(typed)
        assert (status.status, status.number) == ("void", gate_pass.number)
        with pytest.raises(DomainError, match=f"Gate pass {gate_pass.number} was voided"):
            checkout.use_gate_pass(staff["supervisor"], typed)
    assert GatePass.get_by_id(gate_pass.id).used_at is None
    # settled again: the new pass prints clean and lets the car out; the old code still not
    checkout.settle(staff["cashier"], order)
    new_pass = checkout.issue_gate_pass(staff["cashier"], order)
    assert "VOID" not in pdf_text(render_document("gate-pass", order.number))
    assert checkout.gate_status(gate_pass.code).status == "void"
    assert checkout.use_gate_pass(staff["supervisor"], new_pass.code).id == new_pass.id


# --------------------------------------------------------------------------- plate, units


def test_forms_and_the_gate_show_the_plate_with_the_middle_dot(db, staff):
    order, gate_pass = _settled_pass(staff, plate="粤B12345")  # stored as typed, no dot
    for kind in ("task-order", "settlement", "gate-pass"):
        text = pdf_text(render_document(kind, order.number))
        assert "粤B·12345" in text and "粤B12345" not in text, kind
    assert checkout.gate_status(gate_pass.code).plate == "粤B·12345"
    assert checkout.gate_status("粤B12345").plate == "粤B·12345"  # found without the dot


def test_units_are_printed_in_the_form_language(db):
    order = make_order(State.CHECKED_IN, lines=False)
    for part_no, unit in (("OIL-5W30-4L", "桶"), ("FLT-OIL", "个"), ("PAD-F", "套")):
        part = Part.get(Part.part_no == part_no)
        assert part.unit == unit
        make_line(order, part.name, kind="part", part=part, quantity=1)
    english = pdf_text(render_document("task-order", order.number, lang="en"))
    assert not any(u in english for u in ("桶", "个", "套"))
    for unit in ("1 can", "1 pc", "1 set"):
        assert unit in english
    assert documents.unit_label("桶") == "can" and documents.unit_label("盒子") == "盒子"


@pytest.mark.parametrize("kind", [[], None, "receipt"])
def test_a_print_of_an_unknown_document_is_refused_in_words(db, staff, kind):
    """Found by the hostile-input fuzz: a copy asked for a kind that is no document raised
    TypeError before the kind was checked."""
    order = make_order(State.SETTLED, paid=True)
    before = OrderEvent.select().count()
    with pytest.raises(DomainError, match="Document"):
        documents.record_printed(staff["cashier"], kind, order.number, copy=True)
    assert OrderEvent.select().count() == before
