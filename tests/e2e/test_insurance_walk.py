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

from shop_desk.models import InsuranceClaim, InsurerReceivable, JobLine, RepairOrder
from shop_desk.services import insurance
from shop_desk.states import State

TECH = "赵磊 Zhao Lei"
SHOCK, SHOCK_PART = "Replace front shock absorbers", "Front shock absorber"
MOUNT, MOUNT_PART = "Replace engine mount", "Engine mount"


def refusal_shown(shop, text: str) -> bool:
    return shop.sees(text) or shop.matches(text, shop.status())


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

    def at_the_lines() -> None:
        def work() -> None:
            assert shop.sees("Not an accident car."), shop.describe()
            ins.record_claim(shop, claim)
            assert shop.sees(claim.report_no), shop.describe()
            ins.record_assessment(shop, shop.day, {SHOCK: "396.00", SHOCK_PART: "900.00"})
            assert shop.sees("Assessed by {assessor} on {date}: the insurance covers {covered}."), (
                shop.describe()
            )

        ins.insurance_section(shop, work)

    order = ins.receive_accident_car(shop, car, ("SUSP-F", "SHK-F"), at_the_lines)
    row = RepairOrder.get(RepairOrder.number == order)
    assert row.accident_car and row.state == State.AWAITING_DISPATCH.value
    recorded = InsuranceClaim.get(InsuranceClaim.order == row)
    assert (recorded.insurer.name, recorded.claim_report_no, recorded.policy_no) == (
        ins.INSURER,
        claim.report_no,
        claim.policy_no,
    )
    assert (recorded.accident_date, recorded.fault_party, str(recorded.excess)) == (
        claim.accident_date,
        "own",
        "300.00",
    )
    assert (recorded.assessor_name, recorded.assessed_on) == (ins.ASSESSOR, shop.day)
    assert sorted(str(a) for a in insurance.assessed_amounts(row).values()) == ["396.00", "900.00"]

    shop.switch_user("刘强 Liu Qiang")
    step.dispatch(shop, car, "机修一组 Mechanical 1", TECH)
    shop.switch_user(TECH)
    shop.at("08:45")
    step.accept_and_start(shop, order, SHOCK)
    step.request_parts(shop, order, (SHOCK_PART,))
    shop.at("10:10")
    ins.propose_supplement(
        shop,
        order,
        "engine mount",
        (MOUNT, MOUNT_PART),
        "拆检发现发动机支架开裂 engine mount cracked, found on strip-down",
    )
    assert RepairOrder.get_by_id(row.id).state == State.WAITING_AUTHORISATION.value
    step.open_job(shop, order, "Work")
    shop.select_row(MOUNT)
    shop.click("Start")  # refused: the insurer has not answered
    refused = shop.status()  # "Cannot start work: … waiting for the insurer's approval …"
    insurer_wait = (
        "Cannot {doing}: {line} is in a supplementary assessment waiting for the insurer's "
        "approval (order {number}); the service advisor records the insurer's answer."
    )
    assert order in refused and shop.matches(insurer_wait, refused), refused
    assert shop.sees(refused), shop.describe()
    assert not shop.matches("Waiting for authorisation", refused, contains=True), refused
    mount = JobLine.get((JobLine.order == row) & JobLine.description.contains(MOUNT))
    assert (mount.pay_type, mount.auth_state, mount.work_state) == (
        "insurance",
        "proposed",
        "pending",
    )
    shop.switch_user(ins.ADVISOR)
    shop.at("10:30")
    shop.go("Workshop notices")
    assert shop.sees("A supplementary assessment waits for the insurer's approval: {reason}"), (
        shop.describe()
    )
    assert not shop.sees("{text} Call {phone}."), shop.describe()  # the insurer answers
    ins.insurer_answer(shop, car, {MOUNT_PART: "700.00"})
    assert RepairOrder.get_by_id(row.id).state == State.IN_PROGRESS.value
    [supplement] = insurance.supplements(row)
    assert supplement.state == "approved"
    assert sorted(str(a) for a in supplement.amounts.values()) == ["450.00", "700.00"]

    shop.switch_user(TECH)
    shop.at("10:45")
    step.open_job(shop, order, "Work")
    shop.select_row(SHOCK)
    shop.click("Resume")
    step.request_parts(shop, order, (MOUNT_PART,))
    shop.switch_user("何静 He Jing")
    step.issue_parts(shop, order)
    shop.switch_user(TECH)
    step.sign_slip(shop, order, step.number("CK", shop.day, 1))
    step.finish_line(shop, order, SHOCK)
    assert shop.sees("Finished: {line}."), shop.describe()
    shop.at("12:30")
    step.finish_line(shop, order, MOUNT, start=True)
    assert shop.sees("Finished: {line}."), shop.describe()
    shop.at("13:30")
    step.checks(shop, order, "陈刚 Chen Gang")
    shop.switch_user("冯军 Feng Jun")
    step.wash(shop, order)
    shop.switch_user(ins.ADVISOR)
    shop.at("14:30")
    step.deliver(shop, order, car.plate)

    shop.switch_user(ins.CASHIER)
    shop.at("14:45")
    shop.go("Checkout")
    shop.select_row(order)
    shop.click("4 Settlement slip")
    assert shop.sees("(of which {amount} of the insured work)"), shop.describe()
    assert "¥540.00" in shop.label("(of which {amount} of the insured work)", contains=True).text()
    not_charged = shop.box("Not charged to the customer")
    assert shop.sees("Insurer pays (billed to the insurer)", within=not_charged)
    assert shop.sees("¥2,146.00", within=not_charged), shop.describe()
    shop.click("5 Payment")
    split = shop.box("Insurance claim: who pays")
    for text in (
        "{insurer}, claim report no. {report_no}",
        claim.report_no,
        "Insured work (shop price)",
        "¥2,686.00",
        "Loss assessment covers",
        "¥2,446.00",
        "Excess (customer pays)",
        "¥300.00",
        "Above the assessment (customer pays)",
        "¥240.00",
        "Customer's part (in the amount due)",
        "¥540.00",
        "Insurer pays (billed to the insurer)",
        "¥2,146.00",
    ):
        assert shop.sees(text, within=split), (text, shop.describe())
    assert "¥540.00" in shop.label("Due: {amount}").text(), shop.describe()
    refusal = (
        "The insurer has not confirmed its part of {amount} on order {number}: record the "
        "insurer's confirmation first."
    )
    assert shop.sees(refusal, within=split), shop.describe()
    shop.choose("Method", "WeChat Pay")
    shop.type("Amount (¥)", "540.00")
    shop.type("Reference", "WX-4200777")
    shop.click("Take payment")
    shop.click("Settle")  # the customer paid; the insurer has not confirmed yet
    assert refusal_shown(shop, refusal), shop.describe()
    assert RepairOrder.get(RepairOrder.number == order).state == "delivered"
    shop.click("The insurer confirmed its part")
    assert shop.sees("The insurer confirmed {amount}.", within=split), shop.describe()
    assert shop.sees("¥2,146.00", within=split), shop.describe()
    shop.click("Settle")
    assert RepairOrder.get_by_id(row.id).state == State.SETTLED.value
    shop.click("4 Settlement slip")
    printed: list[str] = []
    shop.click("Print settlement slip", then=lambda: printed.append(ins.printed_text(shop)))
    paper = printed[0]
    for english in (
        "Insurance claim: who pays",
        "Excess (customer pays)",
        "Above the assessment (customer pays)",
    ):
        assert ins.on_paper(shop, paper, english), (english, paper)
    for figure in (
        ins.INSURER.replace(" ", ""),
        claim.report_no,
        claim.policy_no,
        ins.ASSESSOR.replace(" ", ""),
        "¥2,686.00",
        "¥2,446.00",
        "¥300.00",
        "¥240.00",
        "¥540.00",
        "¥2,146.00",
        "伍佰肆拾元整",
    ):
        assert figure in paper, (figure, paper)
    shop.click("6 Gate pass")
    shop.click("Issue gate pass")
    assert shop.sees("Valid, not used yet"), shop.describe()
    step.let_out(shop, car, step.number("MP", shop.day), by=car.plate)

    later = shop.day + dt.timedelta(days=40)
    shop.at("09:30", later)
    shop.switch_user(ins.CASHIER)
    shop.go("Insurer receivables")
    assert shop.sees("Insurers owe {amount} in all"), shop.describe()
    assert shop.sees("¥2,146.00"), shop.describe()
    receivables = ins.table_of(shop, "Claim report no.")
    assert ins.row_reads(shop, receivables, order) == [
        order,
        claim.report_no,
        shop.day.isoformat(),
        "2,146.00",
        "0.00",
        "2,146.00",
        "40",
    ]
    ins.insurer_payment(shop, order, "1000.00", "平安转账 TX-20261214-01", later)
    assert ins.row_reads(shop, receivables, order)[3:] == ["2,146.00", "1,000.00", "1,146.00", "40"]
    assert shop.sees("¥1,146.00"), shop.describe()

    last = later + dt.timedelta(days=9)
    shop.at("10:00", last)
    shop.switch_user(ins.CASHIER)
    shop.go("Insurer receivables")  # the page stayed current: its date follows within a minute
    shop.type("Owed as of:", last.isoformat())
    assert ins.row_reads(shop, receivables, order)[3:] == ["2,146.00", "1,000.00", "1,146.00", "49"]
    ins.insurer_payment(shop, order, "1146.00", "平安转账 TX-20261223-07", last)
    assert shop.sees("The insurer's payment is recorded."), shop.describe()
    assert not shop._cells(receivables, order, contains=True), "the receivable did not clear"
    assert shop.sees("Insurers owe {amount} in all"), shop.describe()
    assert shop.sees("¥0.00"), shop.describe()
    receivable = InsurerReceivable.get(InsurerReceivable.order == row)
    assert str(receivable.amount) == "2146.00"
