"""Lists on tabs read when their tab is shown: a page opens as fast as the tab in front.

A page whose tabs each read a long list (ten years of claims, every car due a service)
refreshes only the tab on show; the others are marked and read when they come to the front.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QTabWidget

from shop_desk.ui.shell.widgets import app_settings


class TabReads:
    """``reads[i]`` reads tab ``i``'s list; the tab shown is remembered under ``key``."""

    def __init__(self, tabs: QTabWidget, key: str, reads: Sequence[Callable[[], None]]) -> None:
        self.tabs, self.key, self.reads = tabs, key, list(reads)
        self.stale: set[int] = set()
        tabs.setCurrentIndex(min(app_settings().value(key, 0, int), len(self.reads) - 1))
        tabs.currentChanged.connect(self._shown)

    def refresh(self) -> None:
        """Read the tab in front now, the others when shown."""
        self.stale = set(range(len(self.reads)))
        self._shown(self.tabs.currentIndex())

    def read(self, index: int) -> None:
        """Tab ``index``'s list is being read (whoever asked): no longer stale."""
        self.stale.discard(index)

    def _shown(self, index: int) -> None:
        app_settings().setValue(self.key, index)
        if index in self.stale:
            self.reads[index]()
