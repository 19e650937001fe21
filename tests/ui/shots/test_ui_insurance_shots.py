"""The insurance screenshots render from the sample shop and leave it as it was."""

from __future__ import annotations

from PySide6.QtGui import QImage

from factories import make_order
from shop_desk.models import InsuranceClaim, Insurer
from shop_desk.states import State
from shop_desk.ui.shots import insurance as insurance_shots
from shop_desk.ui.shots.screenshots import ShotContext


def test_insurance_shots(qapp, db, staff, shop_data, tmp_path):
    for _ in range(2):  # an assessed car at checkout and one settled weeks ago
        make_order(State.DELIVERED)
    ctx = ShotContext(window=None, staff=staff["manager"], outdir=tmp_path)
    insurance_shots.shots(ctx)
    names = {p.stem for p in ctx.saved}
    assert {
        "insurance_reception_section",
        "insurance_claim_dialog",
        "insurance_assessment_dialog",
        "insurance_payment_split",
        "insurance_receivables",
    } <= names
    for path in ctx.saved:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 300, path.name
    # staged in a transaction that was rolled back
    assert Insurer.select().count() == 0 and InsuranceClaim.select().count() == 0
