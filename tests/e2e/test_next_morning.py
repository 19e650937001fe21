"""The next morning at the same PC, through the real windows in both languages.

On Monday the administrator takes on a new washer at the front-desk PC. On Tuesday shop-desk
starts again there: the login window comes up at once with the list the PC remembered from
Monday's start (the washer is not on it yet), the list is put right as soon as the database is
open, and the new washer signs in with the PIN the administrator gave.
"""

from __future__ import annotations

from shop_pc import CALENDAR

NEW = "钱多 Qian Duo"


def take_on_washer(shop, name: str, login: str, pin: str) -> None:
    """Admin ▸ Staff and roles ▸ New staff member…"""
    shop.go("Admin")
    shop.click("Staff and roles")

    def fill() -> None:
        shop.type("Name", name)
        shop.type("Login", login)
        shop.type("PIN", pin)
        shop.type("Repeat PIN", pin)
        shop.tick("Washer")
        shop.click("Save")

    shop.click("New staff member…", then=fill)
    shop.select_row(name)


def listed(login, name: str) -> bool:
    """Whether the login window's list of people shows ``name``."""
    people = login.login.model
    return any(name in people.item(row).text() for row in range(people.rowCount()))


def test_the_next_morning_the_login_list_is_put_right(shop_factory, lang: str) -> None:
    shop = shop_factory(CALENDAR["mon"])
    shop.start("系统管理员 Admin")
    shop.at("17:30")
    take_on_washer(shop, NEW, "qianduo", "1234")  # the PIN the walks sign in with
    shop.close_for_the_night()

    shop.at("07:45", CALENDAR["tue"])
    login = shop.open_login()
    # Monday's list, remembered: the washer is not on it yet
    assert listed(login, "李娜 Li Na") and not listed(login, NEW)
    shop.start(NEW, login)  # put right once the database is open: the washer signs in
    assert shop.window.staff.login == "qianduo"
