"""The ``shop-desk`` command: the desktop (default), the demo shop, listings, checks and forms.

Every user mistake (unknown state, missing file, refused step) is one clear sentence on
stderr and a non-zero exit code, never a traceback: 1 for a failed command, 2 for a bad
argument or a feature this installation does not have.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shop_desk import i18n, paths
from shop_desk.errors import DomainError
from shop_desk.i18n import translate

if TYPE_CHECKING:
    import datetime as dt

    import peewee

    from shop_desk.models import Staff

PRINT_KINDS = (
    "task-order",
    "check-in",
    "parts-issue",
    "parts-return",
    "settlement",
    "gate-pass",
    "dispatch-order",
    "service-report",
    "pro-forma",
    "counter-receipt",
    "test-report",
    "supplier-order",
    "insurer-statement",
)
#: Commands that show windows and so need a QApplication rather than a QCoreApplication.
GUI_COMMANDS = (None, "demo", "board", "screenshots")

EXIT_FAILED = 1
EXIT_USAGE = 2
#: Output into a closed pipe: what a shell reports for a tool ended by SIGPIPE (128 + 13).
EXIT_BROKEN_PIPE = 141


class CliError(Exception):
    """A failed command: ``message`` goes to stderr, ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# --------------------------------------------------------------------------- parsing


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise ValueError(message)


def _plain_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """The desktop's own start (nothing but ``--db PATH`` and ``--lang LANG``, each at most
    once) read without building a parser: the shop PC's shortcut starts this way, and three
    argparse parsers cost a few milliseconds before the login window (issue 24's start-up
    ratio). Anything else, including a mistake in these two, is left to the real parser."""
    found: dict[str, str] = {}
    words = iter(argv)
    for word in words:
        name, eq, value = word.partition("=")
        if name not in ("--db", "--lang") or name in found:
            return None
        if not eq:
            value = next(words, "")
            if not value or value.startswith("-"):
                return None
        found[name] = value
    lang = found.get("--lang")
    if lang is not None and lang not in i18n.SUPPORTED:
        return None
    return argparse.Namespace(db=found.get("--db"), lang=lang, command=None)


def _peek(argv: Sequence[str]) -> tuple[str | None, str | None, bool]:
    """Language, subcommand and --no-gui before the full parse: the application object and
    the translation must exist before help texts and messages are made."""
    peek = _QuietParser(add_help=False)
    peek.add_argument("--lang")
    peek.add_argument("--db")
    peek.add_argument("command", nargs="?")
    try:
        known, _rest = peek.parse_known_args(list(argv))
    except ValueError:  # the real parser reports the mistake
        return None, None, False
    lang = known.lang if known.lang in i18n.SUPPORTED else None
    return lang, known.command, "--no-gui" in argv


class _VersionAction(argparse.Action):
    """``--version``: the program's and the schema's version (the migrations load only then)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[no-untyped-def]
        from shop_desk.licences import version_text

        if not isinstance(parser, _QuietParser):
            print(version_text())
        parser.exit()


def build_parser(
    commands: bool = True, parser_class: type[argparse.ArgumentParser] = argparse.ArgumentParser
) -> argparse.ArgumentParser:
    """The argument parser, with help texts in the installed language.

    ``commands=False``: only the desktop's own options (--db, --lang), for a start without a
    command: the desktop comes up without building the parsers of a dozen commands first.
    ``parser_class``: a quiet one tries a command line out before anything is printed."""
    parser = parser_class(
        prog="shop-desk",
        description=translate(
            "Cli",
            "After-sales service desk of a car dealership. Without a command it opens the desktop.",
        ),
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=translate(
            "Cli", "the shop database file (default: SHOP_DESK_DB or the user data folder)"
        ),
    )
    parser.add_argument(
        "--lang",
        choices=i18n.SUPPORTED,
        default=None,
        help=translate("Cli", "interface language (default: the system language)"),
    )
    parser.add_argument(
        "--version",
        action=_VersionAction,
        help=translate("Cli", "show the version and the database schema it writes, and exit"),
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help=translate("Cli", "the shop database file"),
    )
    common.add_argument(
        "--lang",
        choices=i18n.SUPPORTED,
        default=argparse.SUPPRESS,
        help=translate("Cli", "interface language"),
    )

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        parents=[common],
        help=translate("Cli", "build a demo shop with sample data and open it"),
    )
    demo.add_argument(
        "--no-gui", action="store_true", help=translate("Cli", "only build the demo database")
    )
    demo.add_argument(
        "--force", action="store_true", help=translate("Cli", "replace an existing demo database")
    )
    demo.add_argument(
        "--years",
        type=_positive_int,
        metavar="N",
        help=translate("Cli", "years of history to generate"),
    )
    demo.add_argument(
        "--orders-per-day",
        type=_positive_int,
        metavar="N",
        help=translate("Cli", "repair orders per working day"),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=None,
        metavar="N",
        help=translate("Cli", "random seed (the same seed gives the same shop)"),
    )
    demo.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=translate("Cli", "the day the demo shop stands on (default: today)"),
    )

    orders = sub.add_parser(
        "orders", parents=[common], help=translate("Cli", "list repair orders, tab-separated")
    )
    orders.add_argument(
        "--state", metavar="STATE", help=translate("Cli", "only orders in this state")
    )

    takings = sub.add_parser(
        "takings",
        parents=[common],
        help=translate("Cli", "the cashier's takings of a day by payment method, refunds apart"),
    )
    _login_option(takings, translate("Cli", "the cashier or manager reading the takings"))
    takings.add_argument(
        "--date",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=translate("Cli", "the day (default: today)"),
    )

    sub.add_parser(
        "check",
        parents=[common],
        help=translate("Cli", "check the database for damage and broken process rules"),
    )

    printing = sub.add_parser(
        "print", parents=[common], help=translate("Cli", "print a form as PDF")
    )
    printing.add_argument("kind", choices=PRINT_KINDS, help=translate("Cli", "which form"))
    printing.add_argument(
        "number",
        help=translate(
            "Cli",
            "repair order, field job or counter receipt number, e.g. RO261102-001, FW261102-001 or "
            "LS261102-001; for insurer-statement the insurer's name",
        ),
    )
    printing.add_argument(
        "-o", "--output", metavar="FILE.pdf", help=translate("Cli", "write the PDF here")
    )
    printing.add_argument(
        "--on",
        type=_iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=translate("Cli", "insurer-statement: what is owed on this day (default: today)"),
    )

    shots = sub.add_parser(
        "screenshots", parents=[common], help=translate("Cli", "save screenshots of every screen")
    )
    shots.add_argument("outdir", help=translate("Cli", "folder for the PNG files"))

    board = sub.add_parser(
        "board",
        parents=[common],
        help=translate("Cli", "workshop board or lounge display on a second screen"),
    )
    board.add_argument(
        "--screen",
        type=int,
        default=None,
        metavar="N",
        help=translate("Cli", "number of the screen to show it on"),
    )
    board.add_argument(
        "--lounge",
        action="store_true",
        help=translate("Cli", "show the customer lounge view instead of the workshop board"),
    )
    backup = sub.add_parser(
        "backup", parents=[common], help=translate("Cli", "back up the database now")
    )
    backup.add_argument(
        "--to",
        metavar="DIR",
        help=translate("Cli", "backup folder (default: the user data folder)"),
    )

    restore = sub.add_parser(
        "restore",
        parents=[common],
        help=translate("Cli", "replace the database with a backup (the current one is kept aside)"),
    )
    restore.add_argument("file", help=translate("Cli", "the backup file"))
    restore.add_argument(
        "--no-checksum",
        action="store_true",
        help=translate(
            "Cli", "restore a backup taken before shop-desk kept checksums (not verified)"
        ),
    )

    report = sub.add_parser("report", parents=[common], help=translate("Cli", "management reports"))
    report.add_argument("kind", choices=("monthly",), help=translate("Cli", "which report"))
    _login_option(report, translate("Cli", "the general manager reading the report"))
    report.add_argument(
        "month", metavar="YYYY-MM", help=translate("Cli", "the month, e.g. 2026-10")
    )
    out = report.add_mutually_exclusive_group()
    out.add_argument("--csv", metavar="FILE", help=translate("Cli", "also write the report as CSV"))
    out.add_argument(
        "--xlsx",
        metavar="FILE",
        help=translate("Cli", "also write the report as an Excel workbook"),
    )

    desk = sub.add_parser(
        "station",
        help=translate(
            "Cli", "show or change the settings of this PC: its name, printers and board"
        ),
    )
    desk.add_argument(
        "--name",
        metavar="NAME",
        help=translate(
            "Cli", 'the name of this PC, e.g. "Reception 1" (empty: the computer\'s name)'
        ),
    )
    desk.add_argument(
        "--printer",
        action="append",
        default=[],
        metavar="KIND=PRINTER",
        help=translate(
            "Cli",
            'this PC\'s printer for a kind of document, e.g. settlement="Cashier HP" '
            "(KIND= forgets it); may be repeated",
        ),
    )
    desk.add_argument(
        "--board",
        choices=("workshop", "lounge"),
        help=translate("Cli", "what the board command shows on this PC"),
    )

    imp = sub.add_parser(
        "import",
        parents=[common],
        help=translate(
            "Cli", "import customers, vehicles or service history from an old system's file"
        ),
    )
    imp.add_argument("kind", choices=("customers", "vehicles", "history"))
    imp.add_argument("file", metavar="FILE", help=translate("Cli", "an .xlsx or .csv file"))
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=translate(
            "Cli",
            "read the file's column COLUMN as FIELD (COLUMN= ignores the column); may be repeated",
        ),
    )
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help=translate("Cli", "only say what would be created, merged and refused"),
    )
    imp.add_argument(
        "--source",
        default="",
        metavar="NAME",
        help=translate("Cli", "the old system's name: its saved column mapping is used"),
    )
    imp.add_argument(
        "--save-map",
        action="store_true",
        help=translate("Cli", "keep the column mapping for the next file of this source"),
    )
    imp.add_argument(
        "--refused",
        metavar="FILE",
        help=translate("Cli", "write the refused rows with their reason to FILE (.csv or .xlsx)"),
    )
    _login_option(imp, translate("Cli", "who imports (an administrator or the manager)"))

    move = sub.add_parser(
        "migrate-db",
        help=translate("Cli", "move the shop from a database file to an empty PostgreSQL database"),
    )
    move.add_argument(
        "--from",
        dest="source",
        required=True,
        metavar="sqlite:///PATH",
        help=translate("Cli", "the shop's database file"),
    )
    move.add_argument(
        "--to",
        dest="target",
        required=True,
        metavar="postgresql://USER:PASSWORD@HOST:5432/DBNAME",
        help=translate("Cli", "the empty database on the PostgreSQL server"),
    )
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(translate("Cli", "must be a whole number of at least 1"))
    return value


def _iso_date(text: str) -> dt.date:
    import datetime as dt  # not before the login window (issue 24's start-up)

    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            translate("Cli", "give a date as YYYY-MM-DD, e.g. 2026-11-02")
        ) from None


# --------------------------------------------------------------------------- helpers


def _app(gui: bool) -> Any:
    """The one Qt application object: widgets need a QApplication, the rest a core app."""
    from PySide6.QtCore import QCoreApplication

    from shop_desk.pyside_scan import spare_source_scans

    spare_source_scans()  # PySide6 is in: its import hook need not read what came before
    existing = QCoreApplication.instance()
    if existing is not None:
        return existing
    if gui:
        from PySide6.QtWidgets import QApplication

        return QApplication([sys.argv[0] if sys.argv else "shop-desk"])
    return i18n.ensure_core_app()


def _db_file(url: str) -> Path:
    return Path(url[len("sqlite:///") :] if url.startswith("sqlite:///") else url)


def _existing_db(url: str) -> str:
    """The database must already exist: reading commands never create an empty shop."""
    from shop_desk.db import is_postgres_url

    if is_postgres_url(url):  # a server database: connecting says whether it is there
        return url
    if not _db_file(url).is_file():
        raise CliError(translate("Cli", "Database file not found: {path}").format(path=url))
    return url


def _shown(url: str) -> str:
    """A database path or URL for messages: a server's password left out."""
    from shop_desk.db import redacted

    return redacted(url)


def _open(url: str, migrate: bool = True) -> peewee.Database:
    import peewee

    from shop_desk.db import open_database

    try:
        return open_database(_existing_db(url), migrate=migrate)
    except peewee.DatabaseError as exc:
        raise CliError(
            translate("Cli", "{path} is not a readable shop-desk database ({error}).").format(
                path=_shown(url), error=exc
            )
        ) from exc


def _close() -> None:
    from shop_desk.db import close_database

    close_database()


def _hook(module: str, name: str) -> Callable[..., Any]:
    """A function of an optional part (GUI, printing, displays), imported only when used."""
    try:
        found = getattr(importlib.import_module(module), name, None)
    except ModuleNotFoundError as exc:
        if not (exc.name and (module == exc.name or module.startswith(exc.name + "."))):
            raise
        found = None
    if found is None:
        raise CliError(
            translate(
                "Cli", "This feature ({feature}) is not available in this version of shop-desk."
            ).format(feature=f"{module}.{name}"),
            EXIT_USAGE,
        )
    return found


def _out(text: str) -> None:
    print(text, file=sys.stdout)


# --------------------------------------------------------------------------- commands


def cmd_gui(args: argparse.Namespace, lang: str) -> int:
    return _hook("shop_desk.app", "run_gui")(args.db or paths.default_db_path(), lang)


def _progress(line: str) -> None:
    """A build step on stderr, at once: stdout keeps only the result for scripts."""
    print(line, file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace, lang: str) -> int:
    path = args.db or paths.demo_db_path()
    target = _db_file(path)
    if target.exists() and not args.force:
        print(
            translate(
                "Cli",
                "The demo database {path} already exists; it is kept (use --force to rebuild it).",
            ).format(path=path),
            file=sys.stderr,
        )
    else:
        from shop_desk import clock

        build_demo = _hook("shop_desk.demo", "build_demo")
        _close()
        extra = {
            key: value
            for key, value in (
                ("seed", args.seed),
                ("years", args.years),
                ("orders_per_day", args.orders_per_day),
            )
            if value is not None
        }
        # the old file (with --force) is swapped for the new one only when that is complete
        build_demo(
            path,
            today=args.date or clock.today(),
            progress=_progress,
            replace=args.force,
            **extra,
        )
        _close()
        _out(translate("Cli", "Demo shop built: {path}").format(path=path))
    if args.no_gui:
        return 0
    return _hook("shop_desk.app", "run_gui")(path, lang)


def cmd_orders(args: argparse.Namespace, lang: str) -> int:
    from shop_desk.models import Customer, RepairOrder, Vehicle
    from shop_desk.states import State

    valid = [s.value for s in State]
    if args.state is not None and args.state not in valid:
        raise CliError(
            translate("Cli", "Unknown state “{state}”. Valid states: {states}.").format(
                state=args.state, states=", ".join(valid)
            ),
            EXIT_USAGE,
        )
    _open(args.db or paths.default_db_path())
    try:
        query = (
            RepairOrder.select(
                RepairOrder.number,
                RepairOrder.state,
                Vehicle.plate,
                Customer.name,
                RepairOrder.promised_at,
            )
            .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
            .switch(RepairOrder)
            .join(Customer, on=(RepairOrder.customer == Customer.id))
            .order_by(RepairOrder.number)
        )
        if args.state:
            query = query.where(RepairOrder.state == args.state)
        for number, state, plate, customer, promised in query.tuples():
            when = promised.strftime("%Y-%m-%d %H:%M") if promised else ""
            fields = (number, state, plate or "", customer or "", when)
            _out("\t".join(" ".join(str(f).split()) for f in fields))
    finally:
        _close()
    return 0


def _login_option(parser: argparse.ArgumentParser, who: str) -> None:
    parser.add_argument(
        "--login",
        metavar="LOGIN",
        help=translate("Cli", "{who}; the PIN is read from SHOP_DESK_PIN or asked").format(who=who),
    )


def _signed_in(args: argparse.Namespace, why: str) -> Staff:
    """The person of ``--login`` after their PIN (from SHOP_DESK_PIN or asked), under the same
    PIN rule as the sign-in window; ``why`` says why a name is needed when it is missing."""
    from shop_desk.services.auth import authenticate

    if not args.login:
        raise CliError(why, EXIT_USAGE)
    pin = os.environ.get("SHOP_DESK_PIN")
    if pin is None:
        import getpass

        pin = getpass.getpass(translate("Cli", "PIN: "))
    return authenticate(args.login, pin)


def cmd_takings(args: argparse.Namespace, lang: str) -> int:
    """The day's takings as tab-separated lines: one per payment method (method, payments,
    taken, refunded, net), then the totals and what was put on account."""
    from shop_desk import clock
    from shop_desk.printing import labels
    from shop_desk.roles import Role
    from shop_desk.services import checkout
    from shop_desk.services.base import require_roles

    _open(args.db or paths.default_db_path())
    try:
        require_roles(
            _signed_in(args, translate("Cli", "Give --login: the takings are the cashier's.")),
            Role.CASHIER,
            Role.MANAGER,
        )
        day = args.date or clock.today()
        takings = checkout.daily_takings(day)
        _out(translate("Cli", "Takings of {day}").format(day=day.isoformat()))
        for row in takings.rows:
            fields = (
                labels.payment_method(row.method),
                str(row.count),
                f"{row.taken:.2f}",
                f"{row.refunded:.2f}",
                f"{row.net:.2f}",
            )
            _out("\t".join(fields))
        _out(
            "\t".join(
                (
                    translate("Cli", "Money in"),
                    "",
                    f"{takings.taken:.2f}",
                    f"{takings.refunded:.2f}",
                    f"{takings.net:.2f}",
                )
            )
        )
        _out("\t".join((translate("Cli", "On account"), "", f"{takings.on_account:.2f}")))
    finally:
        _close()
    return 0


def cmd_check(args: argparse.Namespace, lang: str) -> int:
    from shop_desk.checks import check_database

    path = args.db or paths.default_db_path()
    db = _open(path, migrate=False)
    try:
        problems = check_database(db)
    except _database_error() as exc:
        raise CliError(
            translate("Cli", "{path} is not a readable shop-desk database ({error}).").format(
                path=_shown(path), error=exc
            )
        ) from exc
    finally:
        _close()
    for problem in problems:
        _out(problem)
    if problems:
        print(
            translate("Cli", "{count} problem(s) found in {path}.").format(
                count=len(problems), path=_shown(path)
            ),
            file=sys.stderr,
        )
        return EXIT_FAILED
    _out(translate("Cli", "OK: no problems found in {path}.").format(path=_shown(path)))
    return 0


def cmd_print(args: argparse.Namespace, lang: str) -> int:
    print_to_file = _hook("shop_desk.printing", "print_to_file")
    if args.on is not None and args.kind != "insurer-statement":
        raise CliError(translate("Cli", "--on is only for insurer-statement."), EXIT_USAGE)
    _open(args.db or paths.default_db_path())
    try:
        number = args.number
        if args.kind == "insurer-statement":  # the insurer by name: its statement of the day
            from shop_desk import clock
            from shop_desk.services.insurer_statements import statement_number_for

            number = statement_number_for(args.number, args.on or clock.today())
        output = args.output or re.sub(r"[^\w.-]", "_", f"{args.kind}-{number}") + ".pdf"
        print_no = print_to_file(args.kind, number, output, lang=lang)
    finally:
        _close()
    _out(translate("Cli", "Saved {path}").format(path=output))
    if isinstance(print_no, int) and print_no > 1:
        _out(translate("Cli", "Marked as a copy (print no. {n}).").format(n=print_no))
    return 0


def cmd_screenshots(args: argparse.Namespace, lang: str) -> int:
    from shop_desk.db import is_postgres_url

    db = _existing_db(args.db or str(paths.default_db_path()))
    if is_postgres_url(db):
        raise CliError(
            translate(
                "Cli",
                "Screenshots stage work on a copy of a shop file: give a file with --db (the "
                "demo or a copy of the shop), not the server.",
            )
        )
    render_all = _hook("shop_desk.ui.shots.screenshots", "render_all")
    Path(args.outdir).mkdir(parents=True, exist_ok=True)
    written = render_all(args.outdir, str(_db_file(db)), lang)
    count = len(written) if isinstance(written, list | tuple) else None
    if count is not None:
        _out(
            translate("Cli", "{count} screenshots saved in {folder}").format(
                count=count, folder=args.outdir
            )
        )
    return 0


def cmd_board(args: argparse.Namespace, lang: str) -> int:
    run_display = _hook("shop_desk.ui.workshop.display", "run_display")
    path = _existing_db(args.db or paths.default_db_path())
    from shop_desk import station

    lounge = args.lounge or station.board_variant() == "lounge"  # this PC's setting
    return run_display(path, lang, screen=args.screen, lounge=lounge)


def _file_database_only(url: str) -> None:
    """Backups and restores copy a database file; a server has its own tools."""
    from shop_desk.db import is_postgres_url

    if is_postgres_url(url):
        raise CliError(
            translate(
                "Cli",
                "This database is on a PostgreSQL server: back it up and restore it with the "
                "server's tools (pg_dump and pg_restore), as the README shows.",
            ),
            EXIT_USAGE,
        )


def cmd_backup(args: argparse.Namespace, lang: str) -> int:
    from shop_desk import backup

    _file_database_only(args.db or paths.default_db_path())
    path = _existing_db(args.db or paths.default_db_path())
    made = backup.take_backup(_db_file(path), args.to)
    _out(translate("Cli", "Backup saved: {path}").format(path=made))
    return 0


def cmd_restore(args: argparse.Namespace, lang: str) -> int:
    from shop_desk import backup

    _file_database_only(args.db or paths.default_db_path())
    path = _db_file(args.db or paths.default_db_path())
    aside = backup.restore(args.file, path, checksum=not args.no_checksum)
    _out(
        translate(
            "Cli", "Restored {backup} into {path}; the previous database is kept as {aside}."
        ).format(backup=args.file, path=path, aside=aside)
    )
    return 0


def cmd_report(args: argparse.Namespace, lang: str) -> int:
    cli_monthly = _hook("shop_desk.services.reports", "cli_monthly")
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", args.month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CliError(
            translate("Cli", "Give the month as YYYY-MM, e.g. 2026-10 (not {text}).").format(
                text=args.month
            ),
            EXIT_USAGE,
        )
    _open(args.db or paths.default_db_path())
    try:
        from shop_desk.roles import Role
        from shop_desk.services.base import require_roles

        require_roles(
            _signed_in(
                args, translate("Cli", "Give --login: the monthly report is the general manager's.")
            ),
            Role.MANAGER,
        )
        text = cli_monthly(
            int(match.group(1)), int(match.group(2)), csv_path=args.csv, xlsx_path=args.xlsx
        )
    finally:
        _close()
    _out(text)
    return 0


def cmd_station(args: argparse.Namespace, lang: str) -> int:
    """This PC's own settings (kept on the PC, not in the shared database): change the given
    ones, then show them all."""
    from shop_desk import station
    from shop_desk.printing import document_title

    if args.name is not None:
        station.set_station_name(args.name)
    for item in args.printer:
        kind, sep, name = item.partition("=")
        if not sep:
            raise CliError(
                translate(
                    "Cli",
                    'Give the printer as KIND=PRINTER, e.g. settlement="Cashier HP" (not {text}).',
                ).format(text=item),
                EXIT_USAGE,
            )
        station.set_default_printer(kind.strip(), name.strip() or None)
    if args.board:
        station.set_board_variant(args.board)
    boards = {
        "workshop": translate("Cli", "the workshop board"),
        "lounge": translate("Cli", "the customer lounge view"),
    }
    _out(translate("Cli", "Station name: {name}").format(name=station.station_name()))
    _out(translate("Cli", "Board: {variant}").format(variant=boards[station.board_variant()]))
    for kind, printer in station.default_printers().items():
        _out(
            translate("Cli", "Printer for {document}: {printer}").format(
                document=document_title(kind),
                printer=printer or translate("Cli", "not set (the print dialog asks)"),
            )
        )
    _out(translate("Cli", "Kept in {path}").format(path=station.settings_file()))
    return 0


#: Seconds between two progress lines inside one table of ``migrate-db``.
MOVE_PROGRESS_EVERY = 5.0


def _about(seconds: float | None) -> str:
    """'about 40 s' / 'about 3 min' / 'a moment' for an estimate."""
    if seconds is None:
        return translate("Cli", "time unknown")
    if seconds < 60:
        return translate("Cli", "about {n} s").format(n=max(1, round(seconds)))
    return translate("Cli", "about {n} min").format(n=round(seconds / 60))


def cmd_migrate_db(args: argparse.Namespace, lang: str) -> int:
    from shop_desk.migrate_db import MoveProgress, migrate

    said = [time.monotonic()]

    def progress(p: MoveProgress) -> None:
        """Each table when done; inside a long one, where it stands every few seconds."""
        if p.stage == "copy":
            if time.monotonic() - said[0] < MOVE_PROGRESS_EVERY or p.table_rows >= p.table_total:
                return
            _out(
                translate(
                    "Cli", "{table}: {rows} of {of} rows, {share}% of the shop, {left} left"
                ).format(
                    table=p.table,
                    rows=f"{p.table_rows:,}",
                    of=f"{p.table_total:,}",
                    share=p.done * 100 // max(p.total, 1),
                    left=_about(p.seconds_left),
                )
            )
        elif p.stage == "table":
            _out(
                translate("Cli", "{table}: {rows} rows copied").format(
                    table=p.table, rows=p.table_rows
                )
            )
        else:
            _out(
                {
                    "indexes": translate("Cli", "Building the indexes…"),
                    "compare": translate(
                        "Cli", "Comparing the server with the file, table by table…"
                    ),
                    "analyze": translate("Cli", "Gathering the server's statistics…"),
                }[p.stage]
            )
        said[0] = time.monotonic()

    result = migrate(args.source, args.target, progress)
    _out(
        translate(
            "Cli",
            "Moved {rows} rows in {tables} tables; rows, ids, amounts and images on the server "
            "match the file. Point every PC at the server with --db or SHOP_DESK_DB.",
        ).format(rows=result.total_rows, tables=len(result.tables))
    )
    return 0


def cmd_import(args: argparse.Namespace, lang: str) -> int:
    """Import a file from the old system: the mapping used, what is created, merged and
    refused (with the reason per row), then (unless --dry-run) one undoable batch."""
    from shop_desk.services import importing
    from shop_desk.services.import_files import FIELDS, guess_mapping, read_table

    table = read_table(args.file)
    overrides: dict[str, str] = {}
    for item in args.map:
        column, sep, field = item.partition("=")
        column, field = column.strip(), field.strip()
        if not sep or column not in table.headers or (field and field not in FIELDS[args.kind]):
            raise CliError(
                translate(
                    "Cli",
                    "--map {item}: give COLUMN=FIELD with a column of the file and one of: "
                    "{fields}.",
                ).format(item=item, fields=", ".join(FIELDS[args.kind])),
                EXIT_USAGE,
            )
        overrides[column] = field
    _open(args.db or paths.default_db_path())
    try:
        saved = importing.saved_mapping(args.source, args.kind) if args.source else {}
        mapping = guess_mapping(args.kind, table.headers, saved)
        mapping = {h: f for h, f in {**mapping, **overrides}.items() if f}
        for column, field in mapping.items():
            _out(f"{column}\t→ {field}")
        actor = None
        if not args.dry_run or args.save_map:
            actor = _signed_in(
                args, translate("Cli", "Give --login: an import is recorded under a name.")
            )
        if args.save_map:
            if not args.source:
                raise CliError(
                    translate("Cli", "Give --source: a mapping is saved per source."), EXIT_USAGE
                )
            importing.save_mapping(actor, args.source, args.kind, mapping)
        plan = importing.preview_import(args.kind, table, mapping)
        counts = plan.counts()
        refused = plan.refused()
        if not args.dry_run:
            result = importing.apply_import(actor, args.kind, table, mapping, args.source)
            counts, refused = result.counts, result.refused
        for key in (
            "rows",
            "create",
            "merge",
            "refuse",
            "customers_created",
            "customers_merged",
            "vehicles_created",
            "vehicles_merged",
            "orders_created",
            "lines_created",
        ):
            _out(f"{key}\t{counts[key]}")
        for verdict in refused:
            _out(
                translate("Cli", "row {row}: {reason}").format(
                    row=verdict.row, reason=verdict.reason
                )
            )
        if args.refused and refused:
            importing.save_refused(args.refused, table, plan)
        if args.dry_run:
            _out(translate("Cli", "Dry run: nothing was imported."))
        else:
            _out(translate("Cli", "Imported as batch {batch}.").format(batch=result.batch_id))
    finally:
        _close()
    return 0


COMMANDS: dict[str | None, Callable[[argparse.Namespace, str], int]] = {
    "migrate-db": cmd_migrate_db,
    "import": cmd_import,
    "station": cmd_station,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "report": cmd_report,
    None: cmd_gui,
    "demo": cmd_demo,
    "orders": cmd_orders,
    "check": cmd_check,
    "takings": cmd_takings,
    "print": cmd_print,
    "screenshots": cmd_screenshots,
    "board": cmd_board,
}


class _NotRaised(Exception):
    """Stands for peewee's DatabaseError before peewee is loaded (nothing can raise it)."""


def _database_error() -> type[Exception]:
    """peewee.DatabaseError if peewee is loaded. The desktop shows its login window before
    loading peewee, so the command line does not import it up front."""
    module = sys.modules.get("peewee")
    return module.DatabaseError if module is not None else _NotRaised


def _no_display() -> bool:
    """True where Qt cannot open a window: Linux without an X11 or Wayland display and no
    platform chosen (Qt would abort the process instead of saying so)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _opens_window(argv: list[str], command: str | None, no_gui: bool) -> bool:
    """Whether this command line will show a window, decided before any Qt application exists
    (a QApplication needs a display; help, usage errors and the listing commands do not)."""
    if command not in GUI_COMMANDS or (command == "demo" and no_gui):
        return False
    if "-h" in argv or "--help" in argv:
        return False
    try:  # a mistake is reported by the real parser (translated), without a window
        build_parser(commands=command is not None, parser_class=_QuietParser).parse_args(argv)
    except (ValueError, SystemExit):
        return False
    return True


def _stdout_closed() -> int:
    """The reader of our output went away (``shop-desk orders | head``): stop quietly, as
    Unix tools do, and keep Python's final flush from complaining about it again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # stdout is not a real file (tests)
        pass
    return EXIT_BROKEN_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``shop-desk`` console script; returns the exit status."""
    try:
        code = _main(list(sys.argv[1:] if argv is None else argv))
        sys.stdout.flush()  # a closed pipe shows here, not in Python's exit
        return code
    except BrokenPipeError:
        return _stdout_closed()


def _main(argv: list[str]) -> int:
    plain = _plain_start(argv)
    if plain is None:
        return _command(argv, None)
    # The desktop's start makes many objects that all stay (modules, PySide's classes) and next
    # to no garbage: Python's garbage collector is held off until the login window is painted
    # (shop_desk.app.Startup turns it back on), which spares its passes over them (about 6 ms
    # before the login window, issue 24).
    gc.disable()
    try:
        return _command(argv, plain)
    finally:
        gc.enable()


def _command(argv: list[str], plain: argparse.Namespace | None) -> int:
    """Run the command line ``argv`` (``plain``: the desktop's own start, read already)."""
    if plain is not None:
        lang_hint, gui = plain.lang, True
    else:
        lang_hint, command, no_gui = _peek(argv)
        if command == "screenshots":  # renders into files: no display needed (or wanted)
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        gui = _opens_window(argv, command, no_gui)
    headless = gui and _no_display()
    _app(gui and not headless)
    try:
        lang = i18n.install_language(lang_hint)
    except ValueError:
        lang = i18n.install_language("en")
    if plain is not None:
        args = plain
    else:
        parser = build_parser(commands=command is not None or "-h" in argv or "--help" in argv)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help or a usage error (already printed by argparse)
            return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    if args.lang and args.lang != lang:
        lang = i18n.install_language(args.lang)
    if headless:
        print(
            "shop-desk: "
            + translate(
                "Cli",
                "There is no display to open a window on (DISPLAY is not set). Start it on the "
                "desktop, or use a command that needs no window (see shop-desk --help).",
            ),
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        return int(COMMANDS[args.command](args, lang) or 0)
    except BrokenPipeError:  # not a failed command: main() ends quietly
        raise
    except CliError as exc:
        print(f"shop-desk: {exc.message}", file=sys.stderr)
        return exc.code
    except DomainError as exc:
        print(f"shop-desk: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except _database_error() as exc:
        print(
            "shop-desk: " + translate("Cli", "Database error: {error}").format(error=exc),
            file=sys.stderr,
        )
        return EXIT_FAILED
    except OSError as exc:
        detail = f"{exc.strerror}: {exc.filename}" if exc.strerror and exc.filename else str(exc)
        print(f"shop-desk: {detail}", file=sys.stderr)
        return EXIT_FAILED
    except ImportError as exc:
        print(
            "shop-desk: "
            + translate(
                "Cli",
                "A part of Qt could not be loaded ({error}). On Linux install the Qt system libraries "
                "listed in the README.",
            ).format(error=exc),
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
