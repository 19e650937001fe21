"""Parts issue slip 出库单: the parts drawn against the task order, their bin locations and the
technician's signature; one slip per page group."""

from __future__ import annotations

from reportlab.platypus import Flowable

from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import FormContext, parts_table
from shop_desk.printing.parts_slips import Signature, render_slips
from shop_desk.services.documents import PartsSlipData


def _facts(slip: PartsSlipData) -> list[tuple[str, str]]:
    return [
        (translate("Printing", "Issued at"), L.when(slip.issued_at)),
        (translate("Printing", "Issued by"), slip.issued_by),
        (translate("Printing", "Technician"), slip.technician),
    ]


def _parts(ctx: FormContext, slip: PartsSlipData) -> Flowable:
    return parts_table(
        ctx,
        [
            [
                r.no,
                r.part_no,
                r.name,
                r.unit,
                L.number(r.quantity),
                r.bin_location,
                L.pay_type(r.pay_type),
            ]
            for r in slip.lines
        ],
        [
            translate("Printing", "Quantity"),
            translate("Printing", "Bin location"),
            translate("Printing", "Pay type"),
        ],
        [16, 22, 22],
        "rcc",
        name_width=68,
    )


def _signatures(slip: PartsSlipData) -> list[Signature]:
    return [
        (translate("Printing", "Received by (technician)"), slip.signature, slip.technician),
        (translate("Printing", "Issued by (parts clerk)"), None, slip.issued_by),
    ]


def render(slips: list[PartsSlipData], copy_mark: bool | int = False) -> bytes:
    return render_slips(
        slips,
        translate("Printing", "Parts issue slip"),
        translate("Printing", "Slip no."),
        _facts,
        translate("Printing", "Parts issued"),
        _parts,
        _signatures,
        copy_mark,
    )
