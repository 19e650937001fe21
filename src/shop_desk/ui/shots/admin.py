"""Screenshot staging for the admin desk's Import tab: an old system's customer file (GB18030
CSV, Chinese headers) read, mapped and checked — with a refused row — but not imported, so the
demo shop is left as it was; and the Warranty terms tab's policy dialog, changing a policy and
refusing a second policy for a category (nothing saved).

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the pages are
imported when a shot runs (after the main window has registered them)."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from shop_desk.ui.shots.screenshots import ShotContext, register_screenshot, settle
from shop_desk.validation import vin_check_digit


def _vin(n: int) -> str:
    base = f"LSVAU2A3X{n:08d}"
    return base[:8] + vin_check_digit(base[:8] + "0" + base[9:]) + base[9:]


def _rows() -> list[str]:
    return [
        "客户名称,联系电话,车架号,车牌号,品牌,车型,购车日期,行驶里程",
        f"张三,13900000001,{_vin(1)},沪A10001,大众,朗逸,2021/5/1,45210",
        f"李四,13900000002,{_vin(2)},沪A10002,丰田,卡罗拉,2020年3月8日,61800",
        f"王五,12345,{_vin(3)},沪A10003,本田,雅阁,20190611,88000",
    ]


def _until(done: Callable[[], bool], seconds: float = 20.0) -> None:
    """Let the tab's background job finish (the screenshot run is not a test: it may wait)."""
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        settle(1)
        time.sleep(0.01)


def shot_import(ctx: ShotContext) -> None:
    window = ctx.window
    if window is None or "admin" not in window.visible_page_keys():
        return
    tab = window.show_page("admin").show_tab("import")
    with tempfile.TemporaryDirectory(prefix="shop-desk-shot-") as tmp:
        path = Path(tmp) / "旧系统客户.csv"
        path.write_bytes(("\n".join(_rows()) + "\n").encode("gb18030"))
        tab.source.setText("旧系统 DMS")
        tab.load_file(path)
        _until(lambda: tab.job is None and tab.table_data is not None)
        ctx.save("admin_import_read", window)
        tab.check()
        _until(lambda: tab.job is None and tab.plan is not None)
        ctx.save("admin_import_checked", window)


def shot_warranty_terms(ctx: ShotContext) -> None:
    """The policy dialog on the shop-fitted policy, then refusing a second general policy."""
    from shop_desk.services.warranty import policy_for
    from shop_desk.ui.admin.tab_warranty import PolicyDialog

    window = ctx.window
    if window is None or "admin" not in window.visible_page_keys():
        return
    tab = window.show_page("admin").show_tab("warranty_terms")
    policy = policy_for("shop_fitted")
    if policy is None:
        return
    tab.select_where(lambda r: r["id"] == policy.id)
    dialog = PolicyDialog(ctx.staff, window, policy)
    dialog.days_edit.setText("730")
    dialog.show()
    settle()
    ctx.save("admin_warranty_policy", dialog)
    dialog.close()
    second = PolicyDialog(ctx.staff, window)
    second.name_edit.setText("新车质保 5 years")
    second.category_combo.setCurrentIndex(second.category_combo.findData("general"))
    second.days_edit.setText("1825")
    second.km_edit.setText("100000")
    second.show()
    if policy_for("general") is not None:
        second.ok_button().click()  # refused: general already has a policy
    settle()
    ctx.save("admin_warranty_policy_refused", second)
    second.close()
    settle()


register_screenshot("admin_import", shot_import)
register_screenshot("admin_warranty_terms", shot_warranty_terms)
