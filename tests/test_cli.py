"""The shop-desk command, called in-process: listings, checks, the demo and the optional hooks."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import types
from decimal import Decimal
from pathlib import Path

import pytest

from factories import make_order
from shop_desk import cli, i18n
from shop_desk.db import close_database
from shop_desk.migrations import LATEST
from shop_desk.models import Part
from shop_desk.states import State


@pytest.fixture(autouse=True)
def _qt(qapp):
    """One QApplication for the session (the CLI reuses it); English again afterwards."""
    yield
    i18n.install_language("en")


@pytest.fixture
def shop(db, db_path: Path) -> Path:
    """The sample shop with three orders, closed so the command opens it itself."""
    make_order(State.CHECKED_IN, number="RO261102-001")
    make_order(State.IN_PROGRESS, number="RO261102-002")
    make_order(State.BOOKED, number="RO261102-003")
    close_database()
    return db_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def fake_module(monkeypatch, name: str, **functions) -> list[tuple]:
    """Put a tiny stand-in module under ``name``; returns the list its functions record calls in."""
    calls: list[tuple] = []
    module = types.ModuleType(name)
    for fname, result in functions.items():

        def record(*args, _fname=fname, _result=result, **kwargs):
            calls.append((_fname, args, kwargs))
            return _result(*args, **kwargs) if callable(_result) else _result

        setattr(module, fname, record)
    monkeypatch.setitem(sys.modules, name, module)
    return calls


# ------------------------------------------------------------------ orders


def test_orders_lists_every_order_tab_separated(capsys, shop):
    code, out, err = run(capsys, "orders", "--db", str(shop))
    assert code == 0, err
    rows = [line.split("\t") for line in out.splitlines()]
    assert [r[0] for r in rows] == ["RO261102-001", "RO261102-002", "RO261102-003"]
    assert all(len(r) == 5 for r in rows)
    first = rows[0]
    assert first[1] == "checked_in"
    assert first[2].startswith("沪A")
    assert first[3] == "王先生"
    assert first[4] == "2026-11-02 13:00"


def test_takings_of_a_day_with_the_refund_apart(capsys, monkeypatch, db, db_path, staff):
    from shop_desk.services import approvals, checkout

    order = make_order(State.DELIVERED, number="RO261102-009")
    due = checkout.settlement_preview(order).due
    checkout.take_payment(staff["cashier"], order, "cash", due)
    checkout.settle(staff["cashier"], order)
    ask = approvals.request_approval(staff["cashier"], "refund", order, "10", "退10元")
    checkout.refund(
        staff["cashier"], order, "10", "cash", approvals.approve(staff["manager"], ask, "1234")
    )
    close_database()
    code, _, err = run(capsys, "takings", "--db", str(db_path), "--date", "2026-11-02")
    assert code == 2 and "--login" in err  # the takings are not everybody's
    monkeypatch.setenv("SHOP_DESK_PIN", "1234")
    code, out, err = run(
        capsys, "takings", "--db", str(db_path), "--date", "2026-11-02", "--login", "washer"
    )
    assert code == 1 and "Cashier" in err and out == ""
    code, out, err = run(
        capsys, "takings", "--db", str(db_path), "--date", "2026-11-02", "--login", "cashier"
    )
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Takings of 2026-11-02"  # the sample shop's clock stands on Mon 2 Nov
    assert lines[1].split("\t") == ["Cash", "2", f"{due:.2f}", "-10.00", f"{due - 10:.2f}"]
    assert lines[2].split("\t")[2:] == [f"{due:.2f}", "-10.00", f"{due - 10:.2f}"]
    code, out, _ = run(
        capsys, "takings", "--db", str(db_path), "--date", "2026-11-01", "--login", "cashier"
    )
    assert out.splitlines()[1].split("\t")[2:] == ["0.00", "0.00", "0.00"]


def test_orders_state_filter(capsys, shop):
    code, out, _ = run(capsys, "--db", str(shop), "orders", "--state", "in_progress")
    assert code == 0
    assert [line.split("\t")[0] for line in out.splitlines()] == ["RO261102-002"]


def test_orders_unknown_state_lists_the_valid_ones(capsys, shop):
    code, out, err = run(capsys, "orders", "--db", str(shop), "--state", "finished")
    assert code == 2
    assert out == ""
    assert "finished" in err
    for state in State:
        assert state.value in err


def test_db_from_the_environment(capsys, shop, monkeypatch):
    monkeypatch.setenv("SHOP_DESK_DB", str(shop))
    code, out, _ = run(capsys, "orders", "--state", "booked")
    assert code == 0
    assert out.startswith("RO261102-003\t")


def test_missing_database_is_an_error_and_not_created(capsys, tmp_path):
    missing = tmp_path / "nothing-here.db"
    for command in ("orders", "check"):
        code, out, err = run(capsys, command, "--db", str(missing))
        assert code == 1
        assert str(missing) in err and "not found" in err
        assert not missing.exists()


def test_a_file_that_is_not_a_database(capsys, tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("this is not SQLite " * 200)
    code, _, err = run(capsys, "orders", "--db", str(junk))
    assert code == 1
    assert "not a readable shop-desk database" in err


def test_newer_database_is_refused_clearly(capsys, shop):
    con = sqlite3.connect(shop)
    con.execute("UPDATE schema_version SET version = ?", (LATEST + 1,))
    con.commit()
    con.close()
    code, _, err = run(capsys, "orders", "--db", str(shop))
    assert code == 1
    assert "newer version of shop-desk" in err


def test_bad_argument_is_a_usage_error(capsys):
    code, _, err = run(capsys, "demo", "--years", "0")
    assert code == 2
    assert "--years" in err


# ------------------------------------------------------------------ check


def test_check_passes_on_the_sample_shop(capsys, shop):
    code, out, _ = run(capsys, "check", "--db", str(shop))
    assert code == 0
    assert out.startswith("OK")


def test_check_fails_on_a_broken_shop(capsys, db, db_path):
    order = make_order(State.IN_PROGRESS)
    order.team = None
    order.save()
    Part.update(stock_qty=Decimal("-2")).where(Part.part_no == "FLT-AIR").execute()
    close_database()
    code, out, err = run(capsys, "check", "--db", str(db_path))
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert any(order.number in line for line in lines)
    assert any("FLT-AIR" in line for line in lines)
    assert "2 problem(s)" in err


# ------------------------------------------------------------------ demo


def test_demo_builds_when_missing(capsys, monkeypatch, tmp_path):
    target = tmp_path / "demo.db"
    calls = fake_module(
        monkeypatch, "shop_desk.demo", build_demo=lambda path, **kw: Path(path).write_text("demo")
    )
    code, out, _ = run(
        capsys, "demo", "--db", str(target), "--no-gui", "--years", "2", "--orders-per-day", "5"
    )
    assert code == 0
    assert len(calls) == 1
    name, args, kwargs = calls[0]
    assert (name, args) == ("build_demo", (str(target),))
    assert kwargs.pop("progress") is cli._progress
    assert kwargs == {
        "years": 2,
        "orders_per_day": 5,
        "today": dt.date(2026, 11, 2),  # the (pinned) clock's today when --date is not given
        "replace": False,
    }
    assert str(target) in out


def test_demo_date_option(capsys, monkeypatch, tmp_path):
    calls = fake_module(monkeypatch, "shop_desk.demo", build_demo=None)
    target = tmp_path / "demo.db"
    code, _, _ = run(capsys, "demo", "--no-gui", "--db", str(target), "--date", "2028-02-29")
    assert code == 0
    assert calls[0][2]["today"] == dt.date(2028, 2, 29)
    code, _, err = run(capsys, "demo", "--no-gui", "--db", str(target), "--date", "2027-02-29")
    assert code == 2
    assert "--date" in err and "YYYY-MM-DD" in err
    assert len(calls) == 1


def test_demo_progress_goes_to_stderr(capsys, monkeypatch, tmp_path):
    def build(path, progress, **kw):
        progress("Building the demo shop: 1/7 staff and catalogues…")
        Path(path).write_text("demo")

    fake_module(monkeypatch, "shop_desk.demo", build_demo=build)
    code, out, err = run(capsys, "demo", "--no-gui", "--db", str(tmp_path / "demo.db"))
    assert code == 0
    assert "1/7 staff and catalogues" in err
    assert "Building" not in out


def test_demo_default_path_is_the_demo_database(capsys, monkeypatch):
    from shop_desk import paths

    calls = fake_module(monkeypatch, "shop_desk.demo", build_demo=None)
    code, _, _ = run(capsys, "demo", "--no-gui")
    assert code == 0
    assert calls[0][1] == (paths.demo_db_path(),)


def test_demo_never_overwrites_without_force(capsys, monkeypatch, tmp_path):
    target = tmp_path / "demo.db"
    target.write_text("the shop's real data")
    calls = fake_module(monkeypatch, "shop_desk.demo", build_demo=None)
    code, _, err = run(capsys, "demo", "--db", str(target), "--no-gui")
    assert code == 0
    assert calls == []
    assert target.read_text() == "the shop's real data"
    assert "--force" in err


def test_demo_force_swaps_the_files_only_when_complete(capsys, monkeypatch, tmp_path):
    """--force hands the replacing to the builder, which swaps the files only at the end (a
    failed rebuild keeps the old demo: tests/test_demo_dates.py)."""
    target = tmp_path / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").write_text("old")
    seen = []
    calls = fake_module(
        monkeypatch,
        "shop_desk.demo",
        build_demo=lambda path, **kw: seen.append(sorted(p.name for p in tmp_path.iterdir())),
    )
    code, _, _ = run(capsys, "demo", "--db", str(target), "--no-gui", "--force", "--seed", "7")
    assert code == 0
    assert seen == [["demo.db", "demo.db-shm", "demo.db-wal"]]
    assert calls[0][2]["seed"] == 7 and calls[0][2]["replace"] is True


def test_demo_opens_the_gui_afterwards(capsys, monkeypatch, tmp_path):
    target = tmp_path / "demo.db"
    fake_module(
        monkeypatch, "shop_desk.demo", build_demo=lambda path, **kw: Path(path).write_text("x")
    )
    gui = fake_module(monkeypatch, "shop_desk.app", run_gui=0)
    code, _, _ = run(capsys, "demo", "--db", str(target))
    assert code == 0
    assert gui == [("run_gui", (str(target), "en"), {})]


def test_demo_not_available(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(
        sys.modules, "shop_desk.demo", None
    )  # import fails as if the module were missing
    target = tmp_path / "demo.db"
    target.write_text("keep")
    code, _, err = run(capsys, "demo", "--db", str(target), "--no-gui", "--force")
    assert code == 2
    assert "not available" in err
    assert target.read_text() == "keep"


# ------------------------------------------------------------------ GUI and optional parts


def test_no_command_opens_the_gui(capsys, monkeypatch, tmp_path):
    gui = fake_module(monkeypatch, "shop_desk.app", run_gui=3)
    code, _, _ = run(capsys, "--db", str(tmp_path / "shop.db"))
    assert code == 3
    assert gui == [("run_gui", (str(tmp_path / "shop.db"), "en"), {})]


def test_the_desktop_start_holds_the_garbage_collector_off_until_the_app_turns_it_on(
    capsys, monkeypatch, tmp_path
):
    """Held off for the desktop's start (shop_desk.app turns it on once the login window is
    painted); on again whatever happens after, and never held for another command."""
    import gc

    seen: list[bool] = []
    fake_module(monkeypatch, "shop_desk.app", run_gui=lambda *a: seen.append(gc.isenabled()))
    assert gc.isenabled()
    code, _, _ = run(capsys, "--db", str(tmp_path / "shop.db"))
    assert code == 0 and seen == [False] and gc.isenabled()
    fake_module(monkeypatch, "shop_desk.app", run_gui=lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run(capsys, "--db", str(tmp_path / "shop.db"))
    assert gc.isenabled()
    fake_module(
        monkeypatch, "shop_desk.demo", build_demo=lambda path, **kw: Path(path).write_text("x")
    )
    fake_module(monkeypatch, "shop_desk.app", run_gui=lambda *a: seen.append(gc.isenabled()))
    code, _, _ = run(capsys, "demo", "--db", str(tmp_path / "demo.db"))
    assert code == 0 and seen[-1] is True and gc.isenabled()


def test_start_without_a_command_takes_only_the_desktop_options(capsys, monkeypatch, tmp_path):
    gui = fake_module(monkeypatch, "shop_desk.app", run_gui=0)
    code, _, err = run(capsys, "--db", str(tmp_path / "shop.db"), "--no-gui")
    assert code == 2 and "--no-gui" in err and gui == []  # an option of a command only
    code, out, _ = run(capsys, "--help")  # the help still lists every command
    assert code == 0
    assert all(name in out for name in ("demo", "orders", "print", "backup", "station"))


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "shop.db"],
        ["--db=shop.db", "--lang", "zh_CN"],
        ["--lang=en", "--db", "other folder/shop.db"],
        ["--db", "postgresql://desk@server/shop"],
    ],
)
def test_the_desktops_own_start_reads_as_the_parser_does(argv):
    """The shortcut's start skips the parsers (start-up time) and reads the same options."""
    assert cli._plain_start(argv) == cli.build_parser(commands=False).parse_args(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--db"],
        ["--db", "--lang", "en"],
        ["--db", "a.db", "--db", "b.db"],
        ["--lang", "fr"],
        ["--la", "en"],
        ["--db", "a.db", "orders"],
        ["--version"],
        ["-h"],
        ["--db", "a.db", "--no-gui"],
    ],
)
def test_anything_else_goes_to_the_real_parser(argv):
    assert cli._plain_start(argv) is None


def test_a_mistake_in_the_desktops_options_is_still_a_usage_error(capsys, monkeypatch):
    gui = fake_module(monkeypatch, "shop_desk.app", run_gui=0)
    code, _, err = run(capsys, "--lang", "fr")
    assert code == 2 and "fr" in err and gui == []


def test_gui_not_available(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "shop_desk.app", None)
    code, _, err = run(capsys)
    assert code == 2
    assert "not available in this version" in err


def test_print_hook(capsys, monkeypatch, shop, tmp_path):
    out_pdf = tmp_path / "to.pdf"
    calls = fake_module(monkeypatch, "shop_desk.printing", print_to_file=1)
    code, out, _ = run(
        capsys, "print", "task-order", "RO261102-001", "-o", str(out_pdf), "--db", str(shop)
    )
    assert code == 0
    assert calls == [
        ("print_to_file", ("task-order", "RO261102-001", str(out_pdf)), {"lang": "en"})
    ]
    assert str(out_pdf) in out and "copy" not in out


def test_print_without_output_writes_into_the_current_folder(capsys, monkeypatch, shop, tmp_path):
    monkeypatch.chdir(tmp_path)
    calls = fake_module(monkeypatch, "shop_desk.printing", print_to_file=1)
    code, out, _ = run(capsys, "print", "gate-pass", "RO261102-001", "--db", str(shop))
    assert code == 0
    assert calls[0][1][2] == "gate-pass-RO261102-001.pdf"
    assert "gate-pass-RO261102-001.pdf" in out


def test_print_pro_forma_is_the_bill_of_its_moment_never_a_copy(capsys, shop, tmp_path):
    from pypdf import PdfReader

    texts = []
    for n in (1, 2):
        out_pdf = tmp_path / f"pf{n}.pdf"
        code, out, _ = run(
            capsys, "print", "pro-forma", "RO261102-002", "-o", str(out_pdf), "--db", str(shop)
        )
        assert code == 0 and "copy" not in out
        texts.append("".join(page.extract_text() for page in PdfReader(out_pdf).pages))
    assert all("pro-forma" in text.lower() and "Reprint" not in text for text in texts)
    code, _, err = run(capsys, "print", "pro-forma", "RO261102-003", "--db", str(shop))
    assert code == 1 and err.strip()  # a booked visit has no bill yet


def test_print_insurer_statement_names_the_insurer_and_the_day(
    capsys, monkeypatch, db, db_path, staff, tmp_path
):
    """``print insurer-statement NAME --on DAY`` prints that insurer's statement of that day
    (its DZ… number, also in the default file name); --on belongs to the statement only."""
    from shop_desk.services import insurance

    company = insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    close_database()
    monkeypatch.chdir(tmp_path)
    calls = fake_module(monkeypatch, "shop_desk.printing", print_to_file=1)
    number = f"DZ261101-{company.id:03d}"
    for who in ("平安保险 Ping An", str(company.id)):
        code, out, err = run(
            capsys, "print", "insurer-statement", who, "--on", "2026-11-01", "--db", str(db_path)
        )
        assert code == 0, err
        assert calls.pop() == (
            "print_to_file",
            ("insurer-statement", number, f"insurer-statement-{number}.pdf"),
            {"lang": "en"},
        )
    code, _, err = run(
        capsys, "print", "insurer-statement", "Nobody", "--on", "2026-11-01", "--db", str(db_path)
    )
    assert code == 1 and "There is no insurer Nobody." in err
    code, _, err = run(
        capsys,
        "print",
        "insurer-statement",
        str(company.id),
        "--on",
        "2026-11-03",
        "--db",
        str(db_path),
    )
    assert code == 1 and "after today" in err  # the tests' today is 2 November 2026
    code, _, err = run(
        capsys, "print", "settlement", "RO261102-001", "--on", "2026-11-01", "--db", str(db_path)
    )
    assert code == 2 and "--on is only for insurer-statement" in err
    code, _, err = run(capsys, "print", "insurer-statement", "x", "--on", "1.11.", "--db", "y")
    assert code == 2 and "YYYY-MM-DD" in err
    assert calls == []


def test_print_unknown_kind(capsys, shop):
    code, _, err = run(capsys, "print", "invoice", "RO261102-001", "--db", str(shop))
    assert code == 2
    assert "invoice" in err


def test_print_domain_error_is_one_sentence(capsys, monkeypatch, shop):
    from shop_desk.errors import NotFound

    def refuse(kind, number, output, **kw):
        raise NotFound(f"Repair order {number} was not found.")

    fake_module(monkeypatch, "shop_desk.printing", print_to_file=refuse)
    code, _, err = run(capsys, "print", "settlement", "RO999", "--db", str(shop))
    assert code == 1
    assert err.strip() == "shop-desk: Repair order RO999 was not found."


def test_print_not_available(capsys, monkeypatch, shop):
    monkeypatch.setitem(sys.modules, "shop_desk.printing", None)
    code, _, err = run(capsys, "print", "gate-pass", "RO261102-001", "--db", str(shop))
    assert code == 2
    assert "not available" in err


def test_screenshots_and_board_hooks(capsys, monkeypatch, shop, tmp_path):
    shots = fake_module(
        monkeypatch,
        "shop_desk.ui.shots.screenshots",
        render_all=lambda *a: [Path("a.png"), Path("b.png")],
    )
    board = fake_module(monkeypatch, "shop_desk.ui.workshop.display", run_display=0)
    outdir = tmp_path / "shots"
    code, out, _ = run(capsys, "screenshots", str(outdir), "--db", str(shop))
    assert code == 0
    assert "2 screenshots" in out
    assert shots == [("render_all", (str(outdir), str(shop), "en"), {})]
    assert outdir.is_dir()
    assert run(capsys, "board", "--db", str(shop), "--screen", "1", "--lounge")[0] == 0
    assert board == [("run_display", (str(shop), "en"), {"screen": 1, "lounge": True})]


def test_screenshots_are_not_staged_on_a_server(capsys, monkeypatch, tmp_path):
    """The stagings record work: on a copy of a file, never on the shop's server."""
    shots = fake_module(monkeypatch, "shop_desk.ui.shots.screenshots", render_all=[])
    url = "postgresql://shop:secret@127.0.0.1:1/shop"
    code, _, err = run(capsys, "screenshots", str(tmp_path / "shots"), "--db", url)
    assert code == 1 and "not the server" in err and shots == []
    code, _, err = run(capsys, "screenshots", str(tmp_path / "s"), "--db", str(tmp_path / "no.db"))
    assert code == 1 and "Database file not found" in err and shots == []


def test_board_not_available(capsys, monkeypatch, shop):
    monkeypatch.setitem(sys.modules, "shop_desk.ui.workshop.display", None)
    code, _, err = run(capsys, "board", "--db", str(shop))
    assert code == 2
    assert "not available" in err


# ------------------------------------------------------------------ language and entry point


def test_language_option_installs_the_translation(capsys, shop):
    assert cli.main(["--lang", "zh_CN", "orders", "--db", str(shop)]) == 0
    assert i18n.current_language() == "zh_CN"
    capsys.readouterr()


def test_language_follows_the_system_by_default(capsys, shop, monkeypatch):
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert cli.main(["orders", "--db", str(shop)]) == 0
    assert i18n.current_language() == "zh_CN"
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert cli.main(["orders", "--db", str(shop)]) == 0
    assert i18n.current_language() == "en"
    capsys.readouterr()


def test_python_dash_m_runs_the_command(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "shop_desk", "check", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1
    assert "not found" in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ without a display; pipes


def _headless_env() -> dict[str, str]:
    """The environment of a server or CI shell: no X11 or Wayland display, no Qt platform."""
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def _shop_desk(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shop_desk", *argv],
        capture_output=True,
        text=True,
        env=_headless_env(),
        timeout=120,
        **kwargs,
    )


def test_help_needs_no_display():
    result = _shop_desk("--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: shop-desk")
    assert "Traceback" not in result.stderr and "display" not in result.stderr
    result = _shop_desk("demo", "--help")
    assert result.returncode == 0, result.stderr
    assert "--date" in result.stdout


def test_commands_without_a_window_need_no_display(shop, tmp_path):
    result = _shop_desk("orders", "--db", str(shop))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("RO261102-001\t")
    result = _shop_desk("check", "--db", str(shop))
    assert result.returncode == 0, result.stderr
    result = _shop_desk("--unknown-option")
    assert result.returncode == 2
    assert "usage: shop-desk" in result.stderr and "--unknown-option" in result.stderr


def test_a_window_without_a_display_is_one_sentence(shop):
    """Qt would abort the process (exit 134); the command says what is missing instead."""
    result = _shop_desk("--db", str(shop))
    assert result.returncode == 2
    assert "no display" in result.stderr and "Traceback" not in result.stderr


def test_output_into_a_closed_pipe_ends_quietly(shop):
    """``shop-desk orders | head``: the reader is gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # closed before the command starts: every write meets a broken pipe
    try:
        result = subprocess.run(
            [sys.executable, "-m", "shop_desk", "orders", "--db", str(shop)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=_headless_env(),
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == cli.EXIT_BROKEN_PIPE


def test_version_names_the_program_and_the_schema_it_writes(capsys, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)  # no window, no display needed
    code, out, _err = run(capsys, "--version")
    from shop_desk import __version__

    assert code == 0
    assert out.strip() == f"shop-desk {__version__} (database schema {LATEST})"


def test_the_monthly_report_needs_the_general_managers_login_and_pin(
    capsys, monkeypatch, db, db_path, staff
):
    make_order(State.CLOSED, number="RO261102-011")
    close_database()
    code, out, err = run(capsys, "report", "monthly", "2026-11", "--db", str(db_path))
    assert code == 2 and "--login" in err and out == ""
    monkeypatch.setenv("SHOP_DESK_PIN", "0000")
    code, out, err = run(
        capsys, "report", "monthly", "2026-11", "--db", str(db_path), "--login", "manager"
    )
    assert code == 1 and "Wrong PIN" in err and out == ""
    monkeypatch.setenv("SHOP_DESK_PIN", "1234")
    code, out, err = run(
        capsys, "report", "monthly", "2026-11", "--db", str(db_path), "--login", "advisor"
    )
    assert code == 1 and "General manager" in err and out == ""
    code, out, err = run(
        capsys, "report", "monthly", "2026-11", "--db", str(db_path), "--login", "manager"
    )
    assert code == 0, err
    assert "2026" in out and out.strip()
