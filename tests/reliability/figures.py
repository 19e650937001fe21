"""Figures the reliability tests gather (kills survived, calls fuzzed, edits raced), shown in
the terminal summary of the run by conftest.py: the proof the reliability issue asks for."""

from __future__ import annotations

LINES: list[str] = []


def report(line: str) -> None:
    LINES.append(line)
