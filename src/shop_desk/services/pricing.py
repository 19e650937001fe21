"""Price reductions (让利): one rule for everything that makes the customer pay less than the
list price, with one limit and one approval.

A line discount, the order discount, a labour rate below the shop's rate, a part price below
the catalogue price, a free part, a line the shop pays itself (pay type ``goodwill`` 善意 or
``internal`` 内部: the customer gets it free) and a pay type changed to one of those — each is
a reduction against the list price, and they are added up per order. Up to the shop's
discount limit (``discount_limit_percent`` of the order's list total) they need nobody; above
it the general manager's approved 'discount' approval for the whole reduction (总经理审批).
The rule runs where prices are set: the estimate (reception), the discounts at checkout and
the technicians' additional work (增项) proposals.

Warranty lines (保修索赔) are not a reduction: the manufacturer pays them, and they have their
own rules (the warranty decision before a line may be warranty, the manufacturer's claim, and
the 'write_off' approval when the claim is refused; PROCESS.md §3, §5). They count neither in
the list total nor in the reduction.

The list price is the shop's labour rate (settings) for labour, the catalogue price for a
catalogue part, and the line's own price for a part without a catalogue entry. Only what is
below the list counts: a price above it does not offset a discount elsewhere. The list is
read when the rule runs: after the shop raises its labour rate, lines priced at the old rate
count as reduced, so only a further reduction on such an order needs the approval (the rule
asks only when a change raises the reduction).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from shop_desk.models import JobLine, Part, RepairOrder
from shop_desk.money import ZERO, line_amount, money, total
from shop_desk.services.approvals import require_approved
from shop_desk.services.orders import line_total, settings

#: Pay types whose price the rule watches (warranty keeps its own rules, see above).
WATCHED_PAY_TYPES = ("customer", "goodwill", "internal")


@dataclass(frozen=True)
class ListPrices:
    """The list prices the rule compares with, read once per check."""

    labour_rate: Decimal
    parts: dict[int, Decimal]  # catalogue price by part id

    @classmethod
    def of(cls, lines: list[JobLine]) -> ListPrices:
        ids = {ln.part_id for ln in lines if ln.part_id is not None}
        parts = (
            {
                pid: money(price)
                for pid, price in Part.select(Part.id, Part.unit_price)
                .where(Part.id.in_(ids))
                .tuples()
            }
            if ids
            else {}
        )
        return cls(money(settings().labour_rate), parts)

    def unit_price(self, line: JobLine) -> Decimal:
        """The line's price per hour or per piece at list: the shop's labour rate, or the
        catalogue price of its part (a part not in the catalogue: its own price)."""
        if line.kind == "labour":
            return self.labour_rate
        if line.part_id in self.parts:
            return self.parts[line.part_id]
        return money(line.unit_price or ZERO)

    def amount(self, line: JobLine) -> Decimal:
        """What the line costs at list price, before any discount."""
        units = (line.hours if line.kind == "labour" else line.quantity) or ZERO
        return line_amount(units, self.unit_price(line))

    def reduction(self, line: JobLine) -> Decimal:
        """How much less than the list price the customer pays for the line (never negative)."""
        if line.pay_type not in WATCHED_PAY_TYPES:
            return ZERO
        charged = line_total(line) if line.pay_type == "customer" else ZERO
        return money(max(ZERO, self.amount(line) - charged))


@dataclass(frozen=True)
class Reduction:
    """The order's reductions against the list price and the limit they are held to."""

    list_total: Decimal  # authorised watched lines at list price
    lines: Decimal  # reductions on the lines (authorised and proposed)
    order_discount: Decimal  # the order discount as applied (never more than the customer pays)
    limit: Decimal

    @property
    def total(self) -> Decimal:
        return money(self.lines + self.order_discount)

    @property
    def over_limit(self) -> bool:
        return self.total > self.limit


def reduction(lines: list[JobLine], order_discount: Decimal) -> Reduction:
    """The rule on a set of lines: authorised lines make the list total; authorised and
    proposed lines (a proposal is priced for the customer to accept) make the reduction;
    declined lines count for nothing."""
    watched = [ln for ln in lines if ln.pay_type in WATCHED_PAY_TYPES]
    authorised = [ln for ln in watched if ln.auth_state == "authorised"]
    priced = [ln for ln in watched if ln.auth_state in ("authorised", "proposed")]
    prices = ListPrices.of(priced)
    list_total = total(prices.amount(ln) for ln in authorised)
    customer = total(line_total(ln) for ln in authorised if ln.pay_type == "customer")
    return Reduction(
        list_total=list_total,
        lines=total(prices.reduction(ln) for ln in priced),
        order_discount=money(min(money(order_discount or ZERO), max(customer, ZERO))),
        limit=money(list_total * settings().discount_limit_percent / 100),
    )


def order_reduction(order: RepairOrder) -> Reduction:
    """The rule on the order as it is stored now."""
    lines = list(JobLine.select().where(JobLine.order == order))
    return reduction(lines, order.order_discount)


def require_within_limit(order: RepairOrder, before: Reduction) -> Reduction:
    """Call inside a service after a price change (``before``: :func:`order_reduction` taken
    before it): a change that raises the reduction above the limit consumes an approved
    'discount' approval covering the whole reduction, else raises ApprovalRequired and the
    service's transaction undoes the change. A change that lowers it or stays within the
    limit needs nothing."""
    after = order_reduction(order)
    if after.total > before.total and after.over_limit:
        require_approved("discount", order, after.total)
    return after
