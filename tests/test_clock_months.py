"""Calendar months: the reminders', the archive's and the warranties' arithmetic."""

import datetime as dt

from dateutil.relativedelta import relativedelta

from shop_desk.clock import add_months


def test_add_months_keeps_dateutils_rule_on_every_day_of_four_years():
    """Month ends and 29 February clamp to the shorter month's last day, both ways."""
    day = dt.date(2027, 1, 1)
    while day < dt.date(2031, 1, 1):
        for months in (-25, -13, -12, -6, -1, 0, 1, 2, 6, 12, 14, 48):
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += dt.timedelta(days=1)


def test_add_months_at_the_edges_people_meet():
    assert add_months(dt.date(2028, 2, 29), 12) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2028, 2, 29), 48) == dt.date(2032, 2, 29)
    assert add_months(dt.date(2026, 12, 31), 2) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 1, 15), -13) == dt.date(2025, 12, 15)
