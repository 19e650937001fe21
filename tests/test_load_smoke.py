"""The load run (benchmarks/load.py) still works: a few seconds on SQLite with two desks and
one board, as separate processes. Only that it runs cleanly is checked here, never timings
(those belong to the benchmark on a quiet machine)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parents[1] / "benchmarks" / "load.py"


def test_load_smoke(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(LOAD),
            "--db",
            str(tmp_path / "shop.db"),
            "--seconds",
            "8",
            "--small",
            "--boards",
            "1",
            "--speed",
            "60",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(out.read_text())
    assert result["desks"] == 2 and result["boards"] == 1
    assert result["missing_processes"] == 0
    rows = {r["operation"]: r for r in result["operations"]}
    assert "search.keystroke" in rows and "reception.check_in" in rows
    assert not [(k, r["samples"]) for k, r in rows.items() if r["errors"] or r["refused"]]
    assert not result["step_errors"]
    # a car received in this run went on beyond reception (handed over, then dispatched…)
    assert result["orders_received"] >= 1
    beyond = {s: n for s, n in result["orders_by_state"].items() if s != "checked_in"}
    assert beyond, result["orders_by_state"]
    assert result["steps"].get("hand_over", 0) >= 1
    assert result["board_delay"]["count"] > 0
    assert "| reception.check_in |" in proc.stdout
