"""Maintain the Simplified Chinese translation: extract, merge, compile, report coverage.

uv run python -m shop_desk.i18n_tools update [--merge FILE.tsv ...]
    runs pyside6-lupdate over src/ and forms/ into resources/i18n/shop_desk_zh_CN.ts,
    fills unfinished entries from the given English<TAB>Chinese files, then compiles the
    .qm with pyside6-lrelease.
uv run python -m shop_desk.i18n_tools missing
    lists source strings that have no translation yet.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS_FILE = ROOT / "resources" / "i18n" / "shop_desk_zh_CN.ts"
QM_FILE = TS_FILE.with_suffix(".qm")


def _tool(name: str) -> str:
    found = shutil.which(name) or str(Path(sys.executable).with_name(name))
    return found


def source_files() -> list[Path]:
    files = sorted((ROOT / "src" / "shop_desk").rglob("*.py"))
    files += sorted((ROOT / "forms").glob("*.ui"))
    # the forms' strings are read from the .ui files, not from their compiled copies
    return [f for f in files if f.name != "i18n_tools.py" and f.parent.name != "forms_gen"]


def run_lupdate() -> None:
    TS_FILE.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        _tool("pyside6-lupdate"),
        *map(str, source_files()),
        "-no-obsolete",
        "-locations",
        "none",
        "-source-language",
        "en",
        "-target-language",
        "zh_CN",
        "-ts",
        str(TS_FILE),
    ]
    subprocess.run(cmd, check=True, capture_output=True)


def run_lrelease() -> None:
    subprocess.run(
        [_tool("pyside6-lrelease"), str(TS_FILE), "-qm", str(QM_FILE)],
        check=True,
        capture_output=True,
    )


def read_tsv(paths: list[Path]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "\t" not in line or line.startswith("#"):
                continue
            src, dst = line.split("\t", 1)
            src = src.replace("\\n", "\n")
            dst = dst.replace("\\n", "\n")
            if src and dst.strip():
                table[src] = dst
    return table


def entries(tree: ET.ElementTree) -> list[tuple[str, str, ET.Element]]:
    out = []
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out.append((name, msg.findtext("source") or "", msg))
    return out


def merge(table: dict[str, str], force: bool = False) -> int:
    """Fill unfinished entries from ``table``; with ``force`` also replace finished ones (the
    glossary's fixed words, so one concept has one word everywhere)."""
    tree = ET.parse(TS_FILE)
    filled = 0
    for _ctx, source, msg in entries(tree):
        tr = msg.find("translation")
        if tr is None:
            continue
        unfinished = tr.get("type") == "unfinished" or not (tr.text or "").strip()
        if source in table and (unfinished or (force and tr.text != table[source])):
            tr.text = table[source]
            tr.attrib.pop("type", None)
            filled += 1
    tree.write(TS_FILE, encoding="utf-8", xml_declaration=True)
    return filled


def missing() -> list[tuple[str, str]]:
    tree = ET.parse(TS_FILE)
    result = []
    for ctx, source, msg in entries(tree):
        tr = msg.find("translation")
        if tr is None or tr.get("type") == "unfinished" or not (tr.text or "").strip():
            result.append((ctx, source))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shop_desk.i18n_tools")
    sub = parser.add_subparsers(dest="cmd", required=True)
    up = sub.add_parser("update")
    up.add_argument("--merge", nargs="*", type=Path, default=[])
    up.add_argument(
        "--force", nargs="*", type=Path, default=[], help="fixed words applied everywhere"
    )
    sub.add_parser("missing")
    args = parser.parse_args(argv)
    if args.cmd == "update":
        run_lupdate()
        filled = merge(read_tsv(args.merge)) if args.merge else 0
        filled += merge(read_tsv(args.force), force=True) if args.force else 0
        run_lrelease()
        left = missing()
        print(f"filled {filled}, still untranslated {len(left)}")
        return 0
    for ctx, source in missing():
        print(f"{ctx}\t{source}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
