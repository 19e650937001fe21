"""The Simplified Chinese translation ships, covers every string and is used on zh_CN."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from shop_desk import i18n, i18n_tools
from shop_desk.paths import resource_path


def _sources(ts: Path) -> set[tuple[str, str]]:
    root = ET.parse(ts).getroot()
    return {
        (ctx.findtext("name") or "", msg.findtext("source") or "")
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    }


def test_every_string_in_the_source_is_translated(tmp_path):
    """Run lupdate over the code into a scratch copy: nothing new, nothing unfinished."""
    committed = i18n_tools.TS_FILE
    scratch = tmp_path / "scratch.ts"
    shutil.copy(committed, scratch)
    tool = shutil.which("pyside6-lupdate") or str(Path(sys.executable).with_name("pyside6-lupdate"))
    subprocess.run(
        [tool, *map(str, i18n_tools.source_files()), "-no-obsolete", "-locations", "none", "-ts", str(scratch)],
        check=True,
        capture_output=True,
    )
    new = _sources(scratch) - _sources(committed)
    assert not new, f"strings missing from the .ts (run i18n_tools update): {sorted(new)[:10]}"
    root = ET.parse(committed).getroot()
    unfinished = [
        msg.findtext("source")
        for msg in root.iter("message")
        if msg.find("translation").get("type") == "unfinished" or not (msg.findtext("translation") or "").strip()
    ]
    assert not unfinished, f"untranslated: {unfinished[:10]}"


def test_compiled_translation_ships_and_is_current(tmp_path):
    qm = resource_path("i18n", "shop_desk_zh_CN.qm")
    assert qm.exists()
    tool = shutil.which("pyside6-lrelease") or str(Path(sys.executable).with_name("pyside6-lrelease"))
    fresh = tmp_path / "fresh.qm"
    subprocess.run([tool, str(i18n_tools.TS_FILE), "-qm", str(fresh)], check=True, capture_output=True)
    assert fresh.read_bytes() == qm.read_bytes(), "the .qm is older than the .ts: run i18n_tools update"


def test_chinese_locale_uses_the_translation(qapp, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    try:
        assert i18n.install_language(None) == "zh_CN"
        assert i18n.translate("OrderState", "Booked") == "已预约"
        from shop_desk.states import state_label

        assert state_label("ready") == "待交车"
    finally:
        i18n.install_language("en")
    assert i18n.translate("OrderState", "Booked") == "Booked"
