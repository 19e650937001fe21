"""Reads that take long on a big database (a year's report, thousands of service reminders)
run on a pool thread so the window stays responsive; results come back as queued signals.

A page keeps one :class:`LatestRead` per list: it numbers the requests and passes on only the
newest one's answer, however the threads finish.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal

from shop_desk.errors import DomainError
from shop_desk.i18n import translate

log = logging.getLogger(__name__)

#: ``work(progress)``: ``progress(done, total)`` may be called from the pool thread.
Work = Callable[[Callable[[int, int], None]], object]


class PoolJob(QObject):
    """Runs ``work`` once on the global thread pool. The pool keeps the job alive while it
    runs (it holds :meth:`run`); the page keeps it until ``done`` or ``failed`` arrives.

    The pool thread gets its own database connection (Peewee keeps one per thread) and
    closes it when done."""

    progress = Signal(int, int, int)  # generation, done, total
    done = Signal(int, object)  # generation, result
    failed = Signal(int, str)  # generation, message for the user

    def __init__(self, generation: int, work: Work, what: str) -> None:
        super().__init__()
        self.generation, self.work, self.what = generation, work, what

    def run(self) -> None:
        """Runs on the pool thread."""
        try:
            result = self.work(lambda d, t: self.progress.emit(self.generation, d, t))
        except DomainError as exc:
            self.failed.emit(self.generation, str(exc))
        except Exception as exc:  # shown to the user; the trace goes to the log
            log.exception("%s failed: %s", self.what, exc)
            self.failed.emit(
                self.generation,
                translate(
                    "Background",
                    "{what} could not be read just now. Press F5 to try again; if it keeps "
                    "happening, tell the person who looks after the computers (the details are "
                    "in the log).",
                ).format(what=self.what),
            )
        else:
            self.done.emit(self.generation, result)
        finally:
            close_thread_connection()

    def start(self) -> None:
        QThreadPool.globalInstance().start(self.run)


def close_thread_connection() -> None:
    from shop_desk.db import database

    db = database.obj
    if db is not None and not db.is_closed():
        db.close()


def wait_for_jobs(timeout_ms: int = 30000) -> bool:
    """Block until no pool job is running and deliver their results (screenshots, shutdown,
    the benchmark); False if one was still running after ``timeout_ms``."""
    finished = QThreadPool.globalInstance().waitForDone(timeout_ms)
    QCoreApplication.processEvents()
    return finished


class LatestRead(QObject):
    """The background reads of one list or report: :meth:`start` numbers each request, and
    ``progress``, ``ready`` and ``failed`` fire only for the newest, so a slow older read never
    overwrites a newer one. ``busy`` until the newest has answered."""

    progress = Signal(int, int)  # done, total
    ready = Signal(object)
    failed = Signal(str)

    def __init__(self, what: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.generation = 0
        self.jobs: dict[int, PoolJob] = {}  # kept alive until they answer

    @property
    def busy(self) -> bool:
        return self.generation in self.jobs

    def start(self, work: Work) -> PoolJob:
        self.generation += 1
        job = PoolJob(self.generation, work, self.what)
        job.progress.connect(self._progress)
        job.done.connect(self._done)
        job.failed.connect(self._failed)
        self.jobs[self.generation] = job
        job.start()
        return job

    def _progress(self, generation: int, done: int, total: int) -> None:
        if generation == self.generation:
            self.progress.emit(done, total)

    def _done(self, generation: int, result: object) -> None:
        self.jobs.pop(generation, None)
        if generation == self.generation:
            self.ready.emit(result)

    def _failed(self, generation: int, message: str) -> None:
        self.jobs.pop(generation, None)
        if generation == self.generation:
            self.failed.emit(message)
