"""A driver that works shop-desk's real windows the way a person does: by what is written on them.

The walks say what a clerk reads on the screen ("Sign in", "Let out", a plate in a table) in
English; in a Chinese walk each English text is looked up in the shipped translation and the
driver finds the Chinese text on the screen instead, so the Chinese walk finds its way by the
Chinese labels. Texts with ``{placeholders}`` match whatever was filled in.

Modal dialogs: an action that opens one takes ``then=`` (what the person does in the dialog);
a modal dialog nobody expected (an error box) fails the walk with its text.
"""

from __future__ import annotations

import gc
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QTabBar,
    QTextEdit,
    QToolButton,
    QWidget,
)

TS_FILE = Path(__file__).resolve().parents[2] / "resources" / "i18n" / "shop_desk_zh_CN.ts"
WAIT_MS = 10_000
_ACCEL = re.compile(r"\(&\w\)|&(?=[^&\s])")  # "A & B" is a plain ampersand
_KEY_HINT = re.compile(r"\([A-Z]\)$")  # "锁屏(L)": Qt shows the accelerator of a Chinese text
_TAGS = re.compile(r"<[^>]+>")
_PLACEHOLDER = re.compile(r"\\\{[A-Za-z_0-9:.,]*\\\}")


class WalkError(AssertionError):
    """What the person looked for is not on the screen (or more than once)."""


#: What a person's actions cost at the counter (issue 19): a click, a Latin character or key
#: press, a Chinese character (typed through the input method).
CLICK_S, LATIN_S, CHINESE_S = 2.5, 0.3, 1.1


@dataclass
class Tally:
    """What a walk cost the person at the screen.

    ``clicks`` are clicks on buttons, tabs, rows, list entries and taps on the car diagram (a
    drop-down choice is two: open, pick); clicks into a field to type in it are counted apart
    (``field_clicks``: only when the field does not have the keyboard focus already).
    ``keys`` are Enter, Esc and shortcuts. The customer's signature is the customer's time,
    counted apart (``signatures``)."""

    clicks: int = 0
    field_clicks: int = 0
    fields: int = 0
    latin: int = 0
    chinese: int = 0
    keys: int = 0
    signatures: int = 0
    clicked: list[str] = field(default_factory=list, repr=False)  # what each click hit

    def click(self, what: str, n: int = 1) -> None:
        self.clicks += n
        self.clicked.append(what)

    @property
    def seconds(self) -> float:
        """The estimated time of the person at the screen."""
        return round(
            CLICK_S * (self.clicks + self.field_clicks)
            + LATIN_S * (self.latin + self.keys)
            + CHINESE_S * self.chinese,
            1,
        )

    def figures(self) -> dict[str, object]:
        names = ("clicks", "field_clicks", "fields", "latin", "chinese", "keys", "signatures")
        return {
            **{n: getattr(self, n) for n in names},
            "seconds": self.seconds,
            "clicked": list(self.clicked),
        }


@cache
def _translations() -> dict[str, tuple[str, ...]]:
    """English source text -> its Chinese translations (all contexts)."""
    found: dict[str, list[str]] = {}
    for message in ET.parse(TS_FILE).getroot().iter("message"):
        source = message.findtext("source") or ""
        node = message.find("translation")
        if node is None:
            continue
        forms = [n.text or "" for n in node.findall("numerusform")] or [node.text or ""]
        for text in forms:
            key = normalise(source)  # "&New customer…" on a button reads "New customer"
            if text and text not in found.setdefault(key, []):
                found[key].append(text)
    return {k: tuple(v) for k, v in found.items()}


def normalise(text: str) -> str:
    """A text as a person reads it: no accelerator marks, tags, entities or trailing dots."""
    text = _TAGS.sub(" ", text) if "<" in text else text
    text = html.unescape(text)
    text = _ACCEL.sub("", text).replace("&&", "&")
    text = " ".join(text.split())
    text = _KEY_HINT.sub("", text)
    return text.removesuffix("…").removesuffix("...").strip()


@cache
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(_PLACEHOLDER.sub(".+?", re.escape(normalise(text))), re.DOTALL)


def settle() -> None:
    """What the application's event loop does after each event: run what was queued (widgets
    a layout shows later), deliver the background reads it started (a list that fills a
    moment later) and delete what was handed to deleteLater()."""
    from shop_desk.ui.shell.background import wait_for_jobs

    QApplication.processEvents()
    wait_for_jobs(WAIT_MS)
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()


def _alive(widget: QWidget) -> bool:
    import shiboken6

    return shiboken6.isValid(widget)


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.window().isVisible()


class Desk:
    """The screen of one shop PC, worked through its visible texts (see the module docstring)."""

    def __init__(self, qtbot, lang: str) -> None:  # noqa: ANN001 - pytest-qt's QtBot
        self.qtbot = qtbot
        self.lang = lang
        self.window: QWidget | None = None  # the main window once someone signed in
        self._unexpected: list[str] = []
        self.tally = Tally()

    def counting(self) -> Tally:
        """Start counting afresh (see :class:`Tally`); the tally goes on with the walk."""
        self.tally = Tally()
        return self.tally

    # -- texts ---------------------------------------------------------------------------
    def texts(self, english: str) -> tuple[str, ...]:
        """What ``english`` reads as on this screen (its translations in Chinese)."""
        if self.lang == "en":
            return (english,)
        return _translations().get(normalise(english), ()) or (english,)

    def matches(self, english: str, shown: str, contains: bool = False, data: bool = False) -> bool:
        """Does ``shown`` read ``english`` (in this screen's language)? ``data``: also as
        written, for the shop's own bilingual data (catalogue names, plates)."""
        shown = normalise(shown)
        texts = self.texts(english)
        for text in (*texts, english) if data else texts:
            pattern = _pattern(text)
            if (pattern.search(shown) if contains else pattern.fullmatch(shown)) is not None:
                return True
        return False

    # -- where to look -------------------------------------------------------------------
    @staticmethod
    def modal() -> QWidget | None:
        """The modal dialog on top (None when the person can use every window)."""
        return QApplication.activeModalWidget()

    def window_of(self, kind: type) -> QWidget:
        """The one visible window of ``kind`` (a summary, the gate window)."""
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        return self._one(found, "window", kind.__name__)

    def windows(self) -> list[QWidget]:
        """Where a person can act now: the modal dialog on top, else every visible window
        (dialogs before the main window)."""
        modal = QApplication.activeModalWidget()
        if modal is not None:
            return [modal]
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        return sorted(shown, key=lambda w: w is self.window)

    def _widgets(self, kind: type, within: QWidget | None) -> Iterator[QWidget]:
        for top in [within] if within is not None else self.windows():
            if isinstance(top, kind) and _visible(top):
                yield top
            for widget in top.findChildren(kind):
                if _visible(widget):
                    yield widget

    def _one(self, found: list, what: str, english: str):  # noqa: ANN202
        if not found:
            raise WalkError(f"no {what} {english!r} on the screen; it shows:\n{self.describe()}")
        if len(found) > 1:
            first = found[0]
            if all(f is first for f in found) or (
                isinstance(first, tuple) and all(f[0] is first[0] for f in found)
            ):
                return first
            where = ", ".join(
                (f[0] if isinstance(f, tuple) else f).objectName() or type(f).__name__
                for f in found
            )
            raise WalkError(
                f"{len(found)} of {what} {english!r} on the screen ({where}): say which"
            )
        return found[0]

    def button(
        self, english: str, within: QWidget | None = None, contains: bool = False
    ) -> QAbstractButton:
        """The button that reads ``english`` (``contains``: among other words, as a score
        button reads "5 Very satisfied")."""
        found = []
        for b in self._widgets(QAbstractButton, within):
            text = b.text()
            if not text and isinstance(b, QToolButton) and b.defaultAction() is not None:
                text = b.defaultAction().text()
            if text and self.matches(english, text, contains):
                found.append(b)
        return self._one(found, "button", english)

    def has_button(self, english: str, within: QWidget | None = None) -> bool:
        try:
            self.button(english, within)
        except WalkError:
            return False
        return True

    def label(self, english: str, within: QWidget | None = None, contains: bool = False) -> QLabel:
        found = [
            w
            for w in self._widgets(QLabel, within)
            if w.text() and self.matches(english, w.text(), contains)
        ]
        return self._one(found, "label", english)

    def sees(self, english: str, within: QWidget | None = None) -> bool:
        """Is ``english`` (or part of a longer text) written anywhere on the screen?"""
        for kind in (QLabel, QAbstractButton):
            for w in self._widgets(kind, within):
                if w.text() and self.matches(english, w.text(), contains=True):
                    return True
        for view in self._widgets(QAbstractItemView, within):
            if not isinstance(view, QHeaderView) and self._cells(view, english, contains=True):
                return True
        for edit in self._widgets(QTextEdit, within):
            if self.matches(english, edit.toPlainText(), contains=True):
                return True
        return False

    def wait_for(self, english: str, within: QWidget | None = None, timeout: int = WAIT_MS) -> None:
        """Wait until ``english`` shows (a list filled by a background read, a new status)."""
        try:
            self.qtbot.waitUntil(lambda: self.sees(english, within), timeout=timeout)
        except AssertionError:
            raise WalkError(
                f"{english!r} did not show within {timeout} ms; the screen shows:\n"
                + self.describe()
            ) from None

    def status(self) -> str:
        assert self.window is not None
        return self.window.statusBar().currentMessage()  # type: ignore[attr-defined]

    def describe(self) -> str:
        """The visible texts of the screen (for a walk's failure message)."""
        lines = []
        for top in self.windows():
            lines.append(f"[{type(top).__name__} {top.windowTitle()!r}]")
            for b in self._widgets(QAbstractButton, top):
                if b.text():
                    lines.append(
                        f"  button {normalise(b.text())!r}{'' if b.isEnabled() else ' (off)'}"
                    )
            for w in self._widgets(QLabel, top):
                if normalise(w.text()):
                    lines.append(f"  label {normalise(w.text())[:120]!r}")
            for bar in self._widgets(QTabBar, top):
                lines.append(
                    "  tabs " + ", ".join(repr(bar.tabText(i)) for i in range(bar.count()))
                )
        return "\n".join(lines[:200])

    def focused(self) -> QWidget | None:
        """The widget the keyboard types into (in the window on top, active or not)."""
        found = QApplication.focusWidget()
        if found is None:
            top = self.windows()
            found = top[0].focusWidget() if top else None
        return found

    # -- acting --------------------------------------------------------------------------
    def _act(self, action: Callable[[], None], then: Callable[[], None] | None) -> None:
        """Do ``action``; a modal dialog it opens is handled by ``then`` (or fails the walk)."""
        before = QApplication.activeModalWidget()
        seen: list[QWidget] = []
        errors: list[BaseException] = []

        def poll() -> None:
            modal = QApplication.activeModalWidget()
            if modal is None or modal is before or modal in seen:
                return
            seen.append(modal)
            timer.stop()
            if then is None:
                self._unexpected.append(f"{modal.windowTitle()}: {self._dialog_text(modal)}")
                modal.close() if not isinstance(modal, QDialog) else modal.reject()
                return
            try:
                then()
            except BaseException as exc:  # noqa: BLE001 - re-raised once the dialog is gone
                errors.append(exc)
                if QApplication.activeModalWidget() is modal:
                    modal.close() if not isinstance(modal, QDialog) else modal.reject()

        timer = QTimer()
        timer.setInterval(5)
        timer.timeout.connect(poll)
        timer.start()
        try:
            action()
            if then is not None and not seen:  # a dialog opened with open()/show(): handle it
                self.qtbot.waitUntil(
                    lambda: QApplication.activeModalWidget() not in (None, before), timeout=WAIT_MS
                )
                poll()
        finally:
            timer.stop()
        settle()
        if errors:
            raise errors[0]
        still = [d for d in seen if _alive(d) and d.isVisible()]
        if then is not None and still:
            text = self._dialog_text(still[0])
            still[0].close()
            raise WalkError(f"the dialog stayed open after the walk's answer: {text}")
        if self._unexpected:
            text = self._unexpected.pop()
            self._unexpected.clear()
            raise WalkError(f"an unexpected dialog came up: {text}")

    @staticmethod
    def _dialog_text(dialog: QWidget) -> str:
        if isinstance(dialog, QMessageBox):
            return f"{dialog.text()} {dialog.informativeText()} {dialog.detailedText()}".strip()
        return " | ".join(normalise(w.text()) for w in dialog.findChildren(QLabel) if w.text())

    def click(
        self,
        english: str,
        within: QWidget | None = None,
        then: Callable[[], None] | None = None,
        contains: bool = False,
    ) -> None:
        """Click the button (or tab, or navigation entry) that reads ``english``."""
        try:
            target = self.button(english, within, contains)
        except WalkError:
            for tabs in self._widgets(QTabBar, within):
                for i in range(tabs.count()):
                    if self.matches(english, tabs.tabText(i)):
                        self._click_at(tabs, tabs.tabRect(i).center(), then)
                        return
            view, index = self.cell(english, within)
            self.click_cell(view, index, then=then)
            return
        if not target.isEnabled():
            raise WalkError(
                f"the button {english!r} is switched off; the screen shows:\n" + self.describe()
            )
        pos = target.rect().center()
        if isinstance(target, (QCheckBox, QRadioButton)):  # on the box: a wide one's middle
            pos = QPoint(min(8, target.width() // 2), target.height() // 2)  # is empty space
        self._click_at(target, pos, then)

    def tap(
        self, english: str, within: QWidget | None = None, then: Callable[[], None] | None = None
    ) -> None:
        """Tap the text ``english`` where it shows; the widget under it takes the tap (a job
        card on the tablet, whose lines let the tap through to the card)."""
        text = self.label(english, within, contains=True)
        target: QWidget = text
        while (
            target.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            and target.parentWidget() is not None
        ):
            target = target.parentWidget()
        self._click_at(target, text.mapTo(target, text.rect().center()), then)

    def _click_at(self, widget: QWidget, pos: QPoint, then: Callable[[], None] | None) -> None:
        self.tally.click(_what(widget, pos))
        self._act(lambda: self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=pos), then)

    def press(
        self, key: Qt.Key, widget: QWidget | None = None, then: Callable[[], None] | None = None
    ) -> None:
        target = widget or self.focused()
        assert target is not None, "nothing has the keyboard focus"
        self.tally.keys += 1
        self._act(lambda: self.qtbot.keyClick(target, key), then)

    def shortcut(self, keys: str, then: Callable[[], None] | None = None) -> None:
        """A keyboard shortcut such as "Ctrl+L" in the main window."""
        from PySide6.QtGui import QKeySequence

        assert self.window is not None
        self.tally.keys += 1
        combo = QKeySequence(keys)[0]
        self._act(
            lambda: self.qtbot.keyClick(self.window, combo.key(), combo.keyboardModifiers()),
            then,
        )

    # -- fields --------------------------------------------------------------------------
    def field(self, english: str, within: QWidget | None = None) -> QWidget:
        """The input a label names (its buddy, its form or grid row) or that shows
        ``english`` as its placeholder."""
        found: list[QWidget] = []
        bare = english.rstrip(":：")
        names = [bare]  # "Reason" finds the label "Reason:" ("原因：") too
        names += [t.rstrip(":：") for t in self.texts(bare + ":") if t != bare + ":"]
        for lab in self._widgets(QLabel, within):
            if not lab.text() or not any(
                self.matches(name, lab.text().rstrip(":：")) for name in names
            ):
                continue
            target = _input_in(lab.buddy() or _beside(lab)) or _below(lab)
            if target is not None and _visible(target):
                found.append(target)
        if not found:
            for kind in (QLineEdit, QTextEdit, QPlainTextEdit):
                for edit in self._widgets(kind, within):
                    hint = edit.placeholderText()
                    if hint and self.matches(english, hint):
                        found.append(edit)
        return self._one(found, "field", english)

    def type(
        self,
        english: str,
        text: str,
        within: QWidget | None = None,
        enter: bool = False,
        then: Callable[[], None] | None = None,
    ) -> QWidget:
        """Type ``text`` into the field ``english`` names (after clearing it)."""
        widget = self.field(english, within)
        self.type_into(widget, text, enter=enter, then=then)
        return widget

    def type_into(
        self,
        widget: QWidget,
        text: str,
        enter: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Keystrokes for Latin text, the input method's commit for Chinese (as an IME types)."""
        target = widget
        if (
            isinstance(widget, QAbstractSpinBox)
            or isinstance(widget, QComboBox)
            and widget.isEditable()
        ):
            target = widget.lineEdit()
        self.tally.fields += 1
        if target.window().focusWidget() is not target:  # else the person just types
            self.tally.field_clicks += 1
        self.qtbot.mouseClick(target, Qt.MouseButton.LeftButton)
        target.setFocus()
        # a date-and-time field reads the keys itself, section by section (its line edit,
        # given keys directly, is reset to the old value)
        keys = widget if isinstance(widget, QDateTimeEdit) else target
        self.qtbot.keyClick(keys, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.qtbot.keyClick(keys, Qt.Key.Key_Delete)
        self.type_keys(keys, text)
        if enter:
            self.press(Qt.Key.Key_Return, target, then=then)

    def choose(self, english: str, item: str, within: QWidget | None = None) -> None:
        """Pick ``item`` in the drop-down list ``english`` names."""
        combo = self.field(english, within)
        assert isinstance(combo, QComboBox), f"{english!r} is not a drop-down list"
        self.choose_in(combo, item)

    def choose_in(self, combo: QComboBox, item: str) -> None:
        for i in range(combo.count()):
            if self.matches(item, combo.itemText(i)):
                self.tally.click(item, 2)  # open the list, pick the entry
                combo.setFocus()
                combo.setCurrentIndex(i)
                combo.activated.emit(i)
                return
        options = [combo.itemText(i) for i in range(combo.count())]
        raise WalkError(f"no {item!r} to choose; the list has {options}")

    def tick(self, english: str, on: bool = True, within: QWidget | None = None) -> None:
        box = self.button(english, within)
        if box.isChecked() != on:
            self.click(english, within)

    def box(self, title: str, within: QWidget | None = None) -> QGroupBox:
        """The framed group titled ``title``."""
        found = [g for g in self._widgets(QGroupBox, within) if self.matches(title, g.title())]
        return self._one(found, "box", title)

    def tick_all(self, title: str) -> None:
        """Tick every box in the group titled ``title`` (a checklist done item by item)."""
        group = self.box(title)
        for box in group.findChildren(QCheckBox):
            if _visible(box) and box.isEnabled() and not box.isChecked():
                self._click_at(box, QPoint(min(8, box.width() // 2), box.height() // 2), None)

    # -- tables and lists ----------------------------------------------------------------
    def _cells(
        self, view: QAbstractItemView, english: str, contains: bool = False
    ) -> list[QModelIndex]:
        model = view.model()
        if model is None:
            return []
        found = []
        root = view.rootIndex()
        try:
            columns = model.columnCount(root)
        except TypeError:  # a list widget's model keeps columnCount private: one column
            columns = 1
        for row in range(min(model.rowCount(root), 2000)):
            for col in range(columns):
                index = model.index(row, col, root)
                text = index.data(Qt.ItemDataRole.DisplayRole)
                if text is not None and self.matches(english, str(text), contains, data=True):
                    if hasattr(view, "isRowHidden") and _row_hidden(view, row):
                        continue
                    found.append(index)
        return found

    def cell(
        self, english: str, within: QWidget | None = None, contains: bool = True
    ) -> tuple[QAbstractItemView, QModelIndex]:
        """The table or list cell that shows ``english`` (part of its text by default)."""
        found = []
        for view in self._widgets(QAbstractItemView, within):
            if isinstance(view, QHeaderView):
                continue
            found += [(view, index) for index in self._cells(view, english, contains)]
        if len({(id(v), i.row()) for v, i in found}) == 1:
            return found[0]
        return self._one(found, "row", english)

    def click_cell(
        self,
        view: QAbstractItemView,
        index: QModelIndex,
        double: bool = False,
        then: Callable[[], None] | None = None,
    ) -> None:
        view.scrollTo(index)
        pos = view.visualRect(index).center()
        if double:
            self.tally.click(str(index.data(Qt.ItemDataRole.DisplayRole)))
            self._act(
                lambda: (
                    self.qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos),
                    self.qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos),
                ),
                then,
            )
        else:
            self._click_at(view.viewport(), pos, then)

    def open_row(
        self, english: str, within: QWidget | None = None, then: Callable[[], None] | None = None
    ) -> None:
        """Double-click the row that shows ``english``."""
        view, index = self.cell(english, within)
        self.click_cell(view, index, double=True, then=then)

    def table_under(self, heading: str) -> QAbstractItemView:
        """The table or list right below the heading ``heading`` (a label or a box title)."""
        label = self.label(heading, contains=True)
        top = label.window()
        below = label.mapTo(top, QPoint(0, label.height()))
        left, right = below.x(), below.x() + label.width()
        best: tuple[int, QAbstractItemView] | None = None
        for view in self._widgets(QAbstractItemView, top):
            if isinstance(view, QHeaderView):
                continue
            corner = view.mapTo(top, QPoint(0, 0))
            gap = corner.y() - below.y()
            overlaps = corner.x() < right and corner.x() + view.width() > left
            if gap >= -4 and overlaps and (best is None or gap < best[0]):
                best = (gap, view)
        if best is None:
            raise WalkError(f"no table under {heading!r}")
        return best[1]

    def select_row(self, english: str, within: QWidget | None = None) -> None:
        view, index = self.cell(english, within)
        self.click_cell(view, index)

    # -- mouse drawing and dragging ------------------------------------------------------
    def draw(self, widget: QWidget, points: list[tuple[float, float]]) -> None:
        """Press, move through ``points`` (fractions of the widget's size), release."""
        w, h = widget.width(), widget.height()
        path = [QPoint(int(x * w), int(y * h)) for x, y in points]
        self.qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=path[0])
        for p in path[1:]:
            self.qtbot.mouseMove(widget, p)
        self.qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=path[-1])

    def tap_car(self, view: str, x: float, y: float) -> None:
        """Tap the car diagram on ``view`` ("left", "front", ...) at fractions of that view."""
        from shop_desk.ui.reception.inspection import CarDiagram

        diagram = self._one(list(self._widgets(CarDiagram, None)), "car diagram", view)
        pos = diagram.widget_point(view, x, y).toPoint()
        self._click_at(diagram, pos, None)

    def card(self, english: str, within: QWidget | None = None) -> QWidget:
        """A card on a board (a widget that paints its own lines) that shows ``english``."""
        found = [
            w
            for w in self._widgets(QWidget, within)
            if callable(getattr(w, "lines", None))
            and any(self.matches(english, line, contains=True) for line in w.lines())
        ]
        return self._one(found, "card", english)

    def drop_zone(self, english: str, within: QWidget | None = None) -> QWidget:
        """The box that takes drops and shows the label ``english`` (a team on the board)."""
        widget: QWidget | None = self.label(english, within)
        while widget is not None and not widget.acceptDrops():
            widget = widget.parentWidget()
        if widget is None:
            raise WalkError(f"{english!r} is not something to drop on")
        return widget

    def drag(
        self, source: QWidget, target: QWidget, then: Callable[[], None] | None = None
    ) -> None:
        """Drag ``source`` with the mouse and drop it on ``target``.

        The widget starts its own QDrag when the mouse moves past the drag distance; the
        platform's drag loop (absent offscreen, fed by the real pointer under X) is played
        by delivering the drag-enter, -move and drop events to ``target`` as Qt does."""
        from PySide6.QtCore import QEvent as E
        from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent

        import shop_desk.ui.workshop.cards as board_cards

        class DragLoop:
            def __init__(self, _source: QWidget) -> None:
                self.mime = None

            def setMimeData(self, mime) -> None:  # noqa: ANN001, N802 - QDrag's API
                self.mime = mime

            def setPixmap(self, _pixmap) -> None:  # noqa: ANN001, N802
                pass

            def setHotSpot(self, _point) -> None:  # noqa: ANN001, N802
                pass

            def exec(self, _actions) -> Qt.DropAction:  # noqa: ANN001
                pos = QPointF(target.rect().center())
                acts = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
                args = (acts, self.mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
                enter = QDragEnterEvent(pos.toPoint(), *args)
                QApplication.sendEvent(target, enter)
                if not enter.isAccepted():
                    return Qt.DropAction.IgnoreAction
                QApplication.sendEvent(target, QDragMoveEvent(pos.toPoint(), *args))
                drop = QDropEvent(pos, *args)
                QApplication.sendEvent(target, drop)
                return drop.dropAction() if drop.isAccepted() else Qt.DropAction.IgnoreAction

        self.tally.click("drag")  # one press-move-release
        start = QPoint(20, 20)
        far = QPoint(start.x() + QApplication.startDragDistance() + 10, start.y() + 10)
        real = board_cards.QDrag
        board_cards.QDrag = DragLoop
        try:
            self.qtbot.mousePress(source, Qt.MouseButton.LeftButton, pos=start)
            move = QMouseEvent(
                E.Type.MouseMove,
                QPointF(far),
                QPointF(source.mapToGlobal(far)),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier,
            )
            self._act(lambda: QApplication.sendEvent(source, move), then)
        finally:
            board_cards.QDrag = real

    def sign(self, within: QWidget | None = None) -> None:
        """The customer signs the pad on the screen with the mouse."""
        from shop_desk.ui.shell.signature_pad import SignaturePad

        pads = list(self._widgets(SignaturePad, within))
        pad = self._one(pads, "signature pad", "signature")
        self.tally.signatures += 1
        self.draw(pad, [(0.12 + n * 0.012, 0.5 + ((n % 12) - 6) * 0.04) for n in range(60)])

    # -- people --------------------------------------------------------------------------
    def sign_in(self, name: str, pin: str = "1234") -> None:
        """Pick ``name`` in the sign-in list, type the PIN, sign in (start-up or lock screen)."""
        view, index = self.cell(name)
        self.click_cell(view, index)
        self.type("PIN", pin, within=view.window())
        self.click("Sign in", within=view.window())

    def switch_user(self, name: str, pin: str = "1234") -> None:
        """Lock the screen and let ``name`` sign in, as staff do at a shared PC: one click on
        "Lock / switch user", then the keyboard only (the name unless it is the one picked
        already, Enter, the PIN, Enter)."""
        self.click("Lock / switch user", within=self.window)
        assert self.window is not None and self.window.locked  # type: ignore[attr-defined]
        login = self.window.lock_screen.login  # type: ignore[attr-defined]
        view = login.staff_list
        assert view.window().focusWidget() is view, (
            "the lock screen does not start at the list of people"
        )

        def picked_right() -> bool:
            return self.matches(name, str(view.currentIndex().data()), contains=True, data=True)

        if not picked_right():  # the first letters of the name's Latin spelling, as needed
            latin = " ".join(re.findall(r"[A-Za-z]+", name))
            for letter in latin:
                self.type_keys(view, letter)
                if picked_right():
                    break
            else:
                self.type_keys(view, name)  # a Chinese name, through the input method
        picked = str(view.currentIndex().data())
        if not self.matches(name, picked, contains=True, data=True):
            raise WalkError(f"typing {name!r} picked {picked!r} in the list of people")
        self.press(Qt.Key.Key_Return, view)
        assert view.window().focusWidget() is login.pin_edit, (
            "Enter on a name does not go to the PIN"
        )
        self.type_keys(login.pin_edit, pin)
        self.press(Qt.Key.Key_Return, login.pin_edit)
        self.qtbot.waitUntil(lambda: not self.window.locked, timeout=WAIT_MS)  # type: ignore
        gc.collect()

    def type_keys(self, widget: QWidget, text: str) -> None:
        """Type ``text`` where the focus is, without a click: keystrokes for Latin text, the
        input method's commit for Chinese."""
        for run in re.findall(r"[\x20-\x7e]+|[^\x20-\x7e]+", text):
            if run.isascii():
                self.tally.latin += len(run)
                self.qtbot.keyClicks(widget, run)
            else:
                self.tally.chinese += len(run)
                event = QInputMethodEvent()
                event.setCommitString(run)
                QApplication.sendEvent(widget, event)

    def go(self, page: str) -> None:
        """Open a page by its entry in the navigation."""
        assert self.window is not None
        nav = self.window.nav  # type: ignore[attr-defined]
        for row in range(nav.count()):
            item = nav.item(row)
            text = re.sub(r"\s*\(\d+\)$", "", item.text())
            if self.matches(page, text):
                self._click_at(nav.viewport(), nav.visualItemRect(item).center(), None)
                return
        entries = [nav.item(r).text() for r in range(nav.count())]
        raise WalkError(f"no page {page!r} in the navigation {entries}")

    def menu(self, *path: str, then: Callable[[], None] | None = None) -> None:
        """Trigger a menu entry of the main window by its path ("File", "Lock / switch user")."""
        assert self.window is not None
        actions = self.window.menuBar().actions()  # type: ignore[attr-defined]
        for step in path:
            action = next((a for a in actions if self.matches(step, a.text())), None)
            if action is None:
                raise WalkError(f"no menu entry {step!r} in {[a.text() for a in actions]}")
            if action.menu() is not None:
                menu = action.menu()
                assert isinstance(menu, QMenu)
                menu.aboutToShow.emit()
                actions = menu.actions()
            else:
                assert action.isEnabled(), f"the menu entry {step!r} is switched off"
                self.tally.click(" > ".join(path), len(path))
                self._act(action.trigger, then)
                return
        raise WalkError(f"{path!r} is a menu, not an entry")

    def close(self, widget: QWidget) -> None:
        widget.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _what(widget: QWidget, pos: QPoint) -> str:
    """What a click hit, for the tally's list: a button's text, a cell's, or the widget."""
    if isinstance(widget, QAbstractButton) and widget.text():
        return normalise(widget.text())
    view = widget.parentWidget()
    if isinstance(view, QAbstractItemView):
        index = view.indexAt(pos)
        if index.isValid():
            return normalise(str(index.data(Qt.ItemDataRole.DisplayRole)))
    if isinstance(widget, QTabBar):
        return normalise(widget.tabText(widget.tabAt(pos)))
    return widget.objectName() or type(widget).__name__


def _beside(label: QLabel) -> QWidget | None:
    """The field on a label's row in a form or grid layout."""
    parent = label.parentWidget()
    layout = parent.layout() if parent is not None else None
    for lay in [layout, *(layout.findChildren(QFormLayout) if layout else [])]:
        if isinstance(lay, QFormLayout):
            row, role = lay.getWidgetPosition(label)
            if row >= 0 and role == QFormLayout.ItemRole.LabelRole:
                item = lay.itemAt(row, QFormLayout.ItemRole.FieldRole)
                if item is not None:
                    return item.widget() or _first_widget(item.layout())
    for lay in [layout, *(layout.findChildren(QGridLayout) if layout else [])]:
        if isinstance(lay, QGridLayout):
            idx = lay.indexOf(label)
            if idx >= 0:
                row, col, _rs, cs = lay.getItemPosition(idx)
                item = lay.itemAtPosition(row, col + cs)
                if item is not None:
                    return item.widget() or _first_widget(item.layout())
    return None


_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox, QAbstractSpinBox)


def _below(label: QLabel) -> QWidget | None:
    """The nearest input under a label that heads it (a label above its field)."""
    top = label.window()
    below = label.mapTo(top, QPoint(0, label.height()))
    best: tuple[int, QWidget] | None = None
    for kind in _INPUTS:
        for edit in top.findChildren(kind):
            if not _visible(edit) or isinstance(edit.parentWidget(), (QComboBox, QAbstractSpinBox)):
                continue
            corner = edit.mapTo(top, QPoint(0, 0))
            gap = corner.y() - below.y()
            if -4 <= gap <= 60 and (best is None or gap < best[0]):
                best = (gap, edit)
    return best[1] if best else None


def _input_in(widget: QWidget | None) -> QWidget | None:
    """The input itself, or the first visible input inside a row of widgets."""
    if widget is None or isinstance(widget, (*_INPUTS, QAbstractButton, QAbstractItemView)):
        return widget
    for kind in _INPUTS:
        for inner in widget.findChildren(kind):
            if _visible(inner):
                return inner
    return widget


def _first_widget(layout) -> QWidget | None:  # noqa: ANN001
    if layout is None:
        return None
    for i in range(layout.count()):
        w = layout.itemAt(i).widget()
        if w is not None:
            return w
    return None


def _row_hidden(view: QAbstractItemView, row: int) -> bool:
    try:
        return bool(view.isRowHidden(row))  # type: ignore[attr-defined]
    except TypeError:  # QTreeView.isRowHidden(row, parent)
        return bool(view.isRowHidden(row, view.rootIndex()))  # type: ignore[attr-defined]


__all__ = ["Desk", "QPointF", "Tally", "WalkError", "normalise"]
