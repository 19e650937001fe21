"""Rotating log file in the user data folder, and a last-resort handler for unexpected errors."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from shop_desk import paths

LOG_NAME = "shop-desk.log"
log = logging.getLogger("shop_desk")


def log_file() -> Path:
    folder = paths.data_dir() / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    """Log to a rotating file (1 MB × 5) once per process and file; returns the file.

    A process whose user data folder moved (SHOP_DESK_DATA_DIR) logs to the new folder's file
    from then on, not to the first one it opened."""
    path = log_file()
    root = logging.getLogger("shop_desk")
    for old in [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]:
        if old.baseFilename != os.path.abspath(path):
            root.removeHandler(old)
            old.close()
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(level)
    return path


def install_excepthook(show: Callable[[str, Path], None] | None = None) -> None:
    """Unexpected errors are written with their traceback to the log; ``show`` (the GUI's
    error dialog) tells the user without closing the window, so typed input stays."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", text)
        if show is not None:
            try:
                show(f"{exc_type.__name__}: {exc}", log_file())
                return
            except Exception:  # the dialog itself failed: fall back to stderr
                log.exception("error dialog failed")
        sys.__excepthook__(exc_type, exc, tb)

    sys.excepthook = hook
