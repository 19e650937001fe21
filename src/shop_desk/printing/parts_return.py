"""Return slip 退料单: parts issued to a repair order and not used, back on the shelf, with what
the order's line keeps, the technician's signature and the parts clerk who took them; A5 like
the parts issue slip, one slip per page group."""

from __future__ import annotations

from reportlab.platypus import Flowable

from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import FormContext, data_table
from shop_desk.printing.parts_slips import Signature, render_slips
from shop_desk.services.documents import PartsReturnData


def _facts(slip: PartsReturnData) -> list[tuple[str, str]]:
    return [
        (translate("Printing", "Returned at"), L.when(slip.returned_at)),
        (translate("Printing", "Technician"), slip.technician),
        (translate("Printing", "Reason"), slip.reason or "—"),
    ]


def _parts(ctx: FormContext, slip: PartsReturnData) -> Flowable:
    rows = [
        [
            str(r.no),
            r.part_no,
            r.name,
            r.unit,
            L.number(r.quantity),
            r.bin_location,
            L.number(r.line_left),
        ]
        for r in slip.lines
    ]
    head = [
        translate("Printing", "No."),
        translate("Printing", "Part no."),
        translate("Printing", "Part"),
        translate("Printing", "Unit"),
        translate("Printing", "Returned"),
        translate("Printing", "Bin location"),
        translate("Printing", "Left on the order"),
    ]
    return data_table(ctx, head, rows, [8, 28, 62, 12, 18, 22, 26], "lklcrcr")


def _signatures(slip: PartsReturnData) -> list[Signature]:
    return [
        (translate("Printing", "Returned by (technician)"), slip.signature, slip.technician),
        (translate("Printing", "Received by (parts clerk)"), None, slip.received_by),
    ]


def render(slips: list[PartsReturnData], copy_mark: bool | int = False) -> bytes:
    return render_slips(
        slips,
        translate("Printing", "Return slip"),
        translate("Printing", "Return slip no."),
        _facts,
        translate("Printing", "Parts returned to stock"),
        _parts,
        _signatures,
        copy_mark,
    )
