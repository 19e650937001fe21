"""Printed documents: task order, vehicle check-in sheet, parts issue slip, return slip,
settlement slip and gate pass; the field forms; the counter receipt and test report; the
supplier order; the insurer's statement; as PDF with an embedded TrueType CJK font.

The GUI's print preview and the CLI call :func:`render_document`; the data comes only from
:mod:`shop_desk.services.documents`. Labels follow the interface language
(:func:`shop_desk.i18n.current_language`) unless ``lang`` asks for another one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

from shop_desk import i18n
from shop_desk.db import database
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.services import documents

#: Document kinds, in the order of the process.
KINDS: tuple[str, ...] = ("task-order", "check-in", "parts-issue", "settlement", "gate-pass")
#: The field-service forms, by field job number (FW…), not by repair order.
FIELD_KINDS: tuple[str, ...] = ("dispatch-order", "service-report")
#: The return slip (退料单) of parts not used: printed when parts come back, not on every order.
PARTS_RETURN = "parts-return"
#: The accessory counter's receipt, by the sale's receipt number (LS…), not by repair order.
COUNTER_KINDS: tuple[str, ...] = ("counter-receipt",)
#: The test report (检测报告) of a product brought back to the counter, by the case (TH…) or
#: the report's own number; the shop's assessment the customer is handed.
TEST_REPORT = "test-report"
#: The supplier order (采购单), by its number (CG…): the paper that goes to the supplier.
SUPPLIER_ORDER = "supplier-order"
#: The insurer's statement (保险公司对账单), by its number (DZ…: the insurer and the day, see
#: :func:`shop_desk.services.insurer_accounts.statement_number`): sent to the insurer to be paid.
INSURER_STATEMENT = "insurer-statement"
#: The pro-forma settlement slip (预结算单): printed on request before payment, not a form of
#: the process (no station printer of its own, no copies to keep).
PRO_FORMA = "pro-forma"


def document_title(kind: str) -> str:
    """The translated name of a document kind (menus, buttons, file names)."""
    titles = {
        "task-order": translate("Printing", "Task order"),
        "check-in": translate("Printing", "Vehicle check-in sheet"),
        "parts-issue": translate("Printing", "Parts issue slip"),
        PARTS_RETURN: translate("Printing", "Return slip"),
        "settlement": translate("Printing", "Settlement slip"),
        "gate-pass": translate("Printing", "Gate pass"),
        PRO_FORMA: translate("Printing", "Pro-forma settlement slip"),
        "dispatch-order": translate("Printing", "Dispatch order"),
        "service-report": translate("Printing", "Service report"),
        "counter-receipt": translate("Printing", "Counter receipt"),
        TEST_REPORT: translate("Printing", "Test report"),
        SUPPLIER_ORDER: translate("Printing", "Supplier order"),
        INSURER_STATEMENT: translate("Printing", "Insurer's statement"),
    }
    return titles[kind]


def _task_order(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import task_order

    with database.atomic():
        data = documents.task_order_data(number)
    return task_order.render(data, copy_mark)


def _check_in(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import check_in

    with database.atomic():
        data = documents.check_in_data(number)
    return check_in.render(data, copy_mark)


def _parts_issue(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import parts_issue

    with database.atomic():
        data = documents.parts_issue_data(number)
    return parts_issue.render(data, copy_mark)


def _parts_return(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import parts_return

    with database.atomic():
        data = documents.parts_return_data(number)
    return parts_return.render(data, copy_mark)


def _settlement(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import settlement

    with database.atomic():
        data = documents.settlement_data(number)
    return settlement.render(data, copy_mark)


def _pro_forma(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import settlement

    with database.atomic():
        data = documents.pro_forma_data(number)
    return settlement.render(data, copy_mark)


def _gate_pass(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import gate_pass

    with database.atomic():
        data = documents.gate_pass_data(number)
    return gate_pass.render(data, copy_mark)


def _dispatch_order(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import field_forms
    from shop_desk.services import field_documents

    with database.atomic():
        data = field_documents.dispatch_order_data(number)
    return field_forms.render_dispatch_order(data, copy_mark)


def _service_report(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import field_forms
    from shop_desk.services import field_documents

    with database.atomic():
        data = field_documents.service_report_data(number)
    return field_forms.render_service_report(data, copy_mark)


def _counter_receipt(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import counter_receipt
    from shop_desk.services import counter_documents

    with database.atomic():
        data = counter_documents.counter_receipt_data(number)
    return counter_receipt.render(data, copy_mark)


def _test_report(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import test_report
    from shop_desk.services import counter_documents

    with database.atomic():
        data = counter_documents.test_report_data(number)
    return test_report.render(data, copy_mark)


def _supplier_order(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import supplier_order
    from shop_desk.services import purchasing_documents

    with database.atomic():
        data = purchasing_documents.supplier_order_data(number)
    return supplier_order.render(data, copy_mark)


def _insurer_statement(number: str, copy_mark: bool | int) -> bytes:
    from shop_desk.printing import insurer_statement
    from shop_desk.services import insurer_statements

    with database.atomic():
        data = insurer_statements.statement_data(number)
    return insurer_statement.render(data, copy_mark)


_BUILDERS: dict[str, Callable[[str, bool | int], bytes]] = {
    "task-order": _task_order,
    "check-in": _check_in,
    "parts-issue": _parts_issue,
    PARTS_RETURN: _parts_return,
    "settlement": _settlement,
    "gate-pass": _gate_pass,
    PRO_FORMA: _pro_forma,
    "dispatch-order": _dispatch_order,
    "service-report": _service_report,
    "counter-receipt": _counter_receipt,
    TEST_REPORT: _test_report,
    SUPPLIER_ORDER: _supplier_order,
    INSURER_STATEMENT: _insurer_statement,
}


@contextlib.contextmanager
def _language(lang: str | None) -> Iterator[None]:
    """Render in ``lang`` and put the interface language back afterwards.

    Switching needs a Qt application object; the GUI has one, the CLI gets a QCoreApplication.
    """
    current = i18n.current_language()
    if lang is None or lang == current:
        yield
        return
    if lang not in i18n.SUPPORTED:
        raise ValidationError(
            translate("Printing", "Unknown language {lang}; choose one of {choices}.").format(
                lang=lang, choices=", ".join(i18n.SUPPORTED)
            )
        )
    i18n.ensure_core_app()
    i18n.install_language(lang)
    try:
        yield
    finally:
        i18n.install_language(current)


def render_document(
    kind: str,
    number: str,
    lang: str | None = None,
    output: str | Path | None = None,
    copy_mark: bool | int = False,
) -> bytes:
    """The PDF of one document of a repair order (``number``; a slip, settlement or gate-pass
    number is accepted for its own kind). Written to ``output`` too when given.

    ``copy_mark`` marks a reprint as a copy: True, or the print's number (2 = the first copy),
    which the mark then shows. Raises DomainError (translated) for an unknown order or a
    document the order does not have yet.
    """
    builder = _BUILDERS.get(kind)
    if builder is None:
        raise ValidationError(
            translate("Printing", "Unknown document {kind}; choose one of {kinds}.").format(
                kind=kind,
                kinds=", ".join(
                    (
                        *KINDS,
                        PARTS_RETURN,
                        PRO_FORMA,
                        *FIELD_KINDS,
                        *COUNTER_KINDS,
                        TEST_REPORT,
                        SUPPLIER_ORDER,
                        INSURER_STATEMENT,
                    )
                ),
            )
        )
    with _language(lang):
        pdf = builder(number, copy_mark)
    if output is not None:
        Path(output).write_bytes(pdf)
    return pdf


def print_to_file(kind: str, number: str, output: str | Path, lang: str | None = None) -> int:
    """Print a document to a PDF file outside the desk (``shop-desk print``): a reprint is
    marked 副本 / COPY with its print number like at any desk, and the print is recorded on
    the order (a field form: on its field job) so the next one, anywhere, is the next copy.
    Returns the print's number."""
    if kind == PRO_FORMA:  # the bill of this moment: never a copy of an earlier one
        render_document(kind, number, lang=lang, output=output)
        return 1
    print_no = documents.next_print_no(kind, number)
    render_document(
        kind, number, lang=lang, output=output, copy_mark=print_no if print_no > 1 else 0
    )
    documents.record_command_line_print(kind, number, print_no)
    return print_no


__all__ = [
    "COUNTER_KINDS",
    "FIELD_KINDS",
    "INSURER_STATEMENT",
    "KINDS",
    "PARTS_RETURN",
    "PRO_FORMA",
    "SUPPLIER_ORDER",
    "TEST_REPORT",
    "document_title",
    "print_to_file",
    "render_document",
]
