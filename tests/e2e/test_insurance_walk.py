"""Insurance repairs (issue 22) through the real windows, by the people whose job each step
is, at one PC, in English and in Chinese: an accident car from the insurer's loss assessment
through a supplementary assessment to the split settlement and the insurer's payments.

The general manager adds the insurer; the advisor receives the accident car, marks it and
records the claim (insurer, policy, 报案号, accident date, who is at fault, excess) and the
assessor's figure per line; the supervisor dispatches, the technician starts, finds a cracked
engine mount and proposes it as a supplementary assessment (追加定损): its work is refused
until the advisor records the insurer's approval; the work is finished and checked, washed and
handed over; the cashier's settlement slip shows the insurer's part and the customer's
(excess, above the assessment), the customer pays theirs, the insurer's part is confirmed and
the gate pass issued; weeks later the receivable shows its age and clears in two payments.
"""

from __future__ import annotations

import datetime as dt

import shop_day as step
import shop_insurance as ins
from shop_pc import CALENDAR
from shop_steps_more import put_on_file

from shop_desk.models import InsuranceClaim, RepairOrder

TECH = "赵磊 Zhao Lei"
SHOCK, SHOCK_PART = "Replace front shock absorbers", "Front shock absorber"
MOUNT, MOUNT_PART = "Replace engine mount", "Engine mount"


def test_an_accident_car_from_assessment_to_split_settlement(shop_factory, lang):
    shop = shop_factory(CALENDAR["wed"])
    car = ins.accident_car()
    put_on_file(shop, car)
    claim = ins.Claim(accident_date=shop.day - dt.timedelta(days=2))

    shop.at("08:10")
    shop.start(ins.MANAGER)
    ins.add_insurer(shop, ins.INSURER, "定损中心 95511")

    shop.switch_user(ins.ADVISOR)
    shop.at("08:30")

    def insurance() -> None:
        def work() -> None:
            assert shop.sees("Not an accident car."), shop.describe()
            ins.record_claim(shop, claim)
            assert shop.sees(claim.report_no), shop.describe()
            ins.record_assessment(shop, shop.day, {SHOCK: "400.00", SHOCK_PART: "900.00"})
            assert shop.sees("Assessed by {assessor} on {date}: the insurance covers {covered}."), (
                shop.describe()
            )

        ins.insurance_section(shop, work)

    order = ins.receive_accident_car(shop, car, ("SUSP-F", "SHK-F"), insurance)
    row = RepairOrder.get(RepairOrder.number == order)
    print(row.state, row.accident_car)
    c = InsuranceClaim.get(InsuranceClaim.order == row)
    print(c.claim_report_no, c.policy_no, c.accident_date, c.fault_party, c.excess, c.assessor_name)
