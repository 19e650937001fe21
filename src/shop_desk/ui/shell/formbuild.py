"""A light builder for the simplest Qt Designer forms: the sign-in window at start-up.

Every other form is compiled ahead of time by pyside6-uic (:mod:`shop_desk.ui.compile_forms`).
The sign-in form is not built from its compiled module because that module, like every
module uic writes, imports PySide6's ``Qt`` namespace and a dozen QtGui classes before the
window: 20 ms of CPU to build the namespace's enums and 9 ms for the classes, measured when the
first window is up. With the compiled sign-in form the start-up benchmark's ratio to a bare
PySide6 window went from 1.43 to 1.61 (CPU, ``benchmarks/run.py`` startup rows; the target is
1.5), so this builder stays for that one form, built with only the classes it uses, the same
texts translated in the same context (the form's class), and enum and flag values looked up in
Qt's meta-objects, not in PySide's Python enums. Only what simple forms use is understood:
widgets, box layouts, spacers, plain properties, buddies and tab order; anything else raises
``FormError``, so a form that outgrows this builder fails its test, not a shop PC
(tests/ui/shell/test_ui_formbuild.py compares the result with the compiled module's).
"""

from __future__ import annotations

from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import QCoreApplication, QObject, QRect, QSize
from PySide6.QtWidgets import QBoxLayout, QLabel, QSizePolicy, QSpacerItem, QWidget

_LAYOUTS = ("QVBoxLayout", "QHBoxLayout")
_MARGINS = ("leftMargin", "topMargin", "rightMargin", "bottomMargin")


class FormError(ValueError):
    """The form uses something this builder does not know."""


class _Node:
    """One XML element (a plain class: dataclasses cost an import before the window)."""

    __slots__ = ("attrs", "children", "tag", "text")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node] = []
        self.text = ""

    def find(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]


def _parse(data: bytes) -> _Node:
    """The XML as a small tree (pyexpat directly: ElementTree costs a hundredth of a second)."""
    import pyexpat

    root = _Node("", {})
    stack = [root]

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, attrs)
        stack[-1].children.append(node)
        stack.append(node)

    def end(_tag: str) -> None:
        stack.pop()

    def chars(text: str) -> None:
        stack[-1].text += text

    parser = pyexpat.ParserCreate("UTF-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.Parse(data, True)
    return root.children[0]


class _Builder:
    def __init__(self, context: str) -> None:
        self.context = context
        self.buddies: list[tuple[QLabel, str]] = []

    def text(self, node: _Node) -> str:
        if node.attrs.get("notr") == "true":
            return node.text
        return QCoreApplication.translate(self.context, node.text, node.attrs.get("comment"))

    def value(self, owner: QObject | None, name: str, node: _Node) -> object:
        """A property value as Qt takes it (enums and flags as numbers from the meta-object)."""
        kind, text = node.tag, node.text.strip()
        if kind == "string":
            return self.text(node)
        if kind == "bool":
            return text == "true"
        if kind == "number":
            return int(text)
        if kind == "cstring":
            return text
        if kind in ("enum", "set"):
            if owner is None:
                raise FormError(f"{name}: {kind} values are read from a widget's properties")
            meta = owner.metaObject()
            index = meta.indexOfProperty(name)
            if index < 0:
                raise FormError(f"{type(owner).__name__} has no property {name}")
            value, ok = meta.property(index).enumerator().keysToValue(text)
            if not ok:
                raise FormError(f"{text} is not a value of {name}")
            return value
        parts = {c.tag: int(c.text) for c in node.children}
        if kind == "size":
            return QSize(parts["width"], parts["height"])
        if kind == "rect":
            return QRect(parts["x"], parts["y"], parts["width"], parts["height"])
        raise FormError(f"property {name}: {kind} values are not supported")

    def widget(self, node: _Node, parent: QWidget | None, top: bool = False) -> QWidget:
        cls = getattr(QtWidgets, node.attrs["class"], None)
        if not (isinstance(cls, type) and issubclass(cls, QWidget)):
            raise FormError(f"unknown widget class {node.attrs['class']}")
        widget = cls(parent)
        widget.setObjectName(node.attrs.get("name", ""))
        for prop in node.all("property"):
            name, (value_node,) = prop.attrs["name"], prop.children
            if name == "buddy":
                self.buddies.append((widget, value_node.text))
            elif name == "geometry" and top:  # the form's own size, as QUiLoader takes it
                widget.resize(self.value(widget, name, value_node).size())
            elif widget.metaObject().indexOfProperty(name) < 0:
                raise FormError(f"{node.attrs['class']} has no property {name}")
            elif not widget.setProperty(name, self.value(widget, name, value_node)):
                raise FormError(f"{node.attrs['class']}.{name} cannot be set")
        if node.all("widget"):
            raise FormError("child widgets outside a layout are not supported")
        layout = node.find("layout")
        if layout is not None:
            self.layout(layout, widget, None)
        return widget

    def layout(self, node: _Node, owner: QWidget, outer: QBoxLayout | None) -> QBoxLayout:
        kind = node.attrs["class"]
        if kind not in _LAYOUTS:
            raise FormError(f"{kind} is not supported")
        layout = getattr(QtWidgets, kind)(owner if outer is None else None)
        layout.setObjectName(node.attrs.get("name", ""))
        for prop in node.all("property"):
            name, (value_node,) = prop.attrs["name"], prop.children
            if name == "spacing":
                layout.setSpacing(int(value_node.text))
            elif name in _MARGINS:
                m = layout.contentsMargins()
                margins = [m.left(), m.top(), m.right(), m.bottom()]
                margins[_MARGINS.index(name)] = int(value_node.text)
                layout.setContentsMargins(*margins)
            else:
                raise FormError(f"layout property {name} is not supported")
        if outer is not None:
            outer.addLayout(layout)
        for item in node.all("item"):
            (child,) = item.children
            if child.tag == "widget":
                layout.addWidget(self.widget(child, owner))
            elif child.tag == "layout":
                self.layout(child, owner, layout)
            elif child.tag == "spacer":
                layout.addItem(self.spacer(child))
            else:
                raise FormError(f"layout item {child.tag} is not supported")
        return layout

    def spacer(self, node: _Node) -> QSpacerItem:
        props = {p.attrs["name"]: p.children[0] for p in node.all("property")}
        size = props.get("sizeHint")
        hint = self.value(None, "sizeHint", size) if size is not None else QSize(20, 20)
        width, height = hint.width(), hint.height()
        orientation = props.get("orientation")
        horizontal = orientation is None or orientation.text.strip().endswith("Horizontal")
        grow, keep = QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum
        return QSpacerItem(width, height, *((grow, keep) if horizontal else (keep, grow)))


def build_form(path: Path, parent: QWidget | None = None) -> QWidget:
    """The widget tree of a simple .ui file, as QUiLoader would build it."""
    root = _parse(Path(path).read_bytes())
    class_node = root.find("class")
    context = class_node.text.strip() if class_node is not None else ""
    top = root.find("widget")
    if top is None:
        raise FormError(f"{path} has no widget")
    builder = _Builder(context)
    form = builder.widget(top, parent, top=True)
    for label, buddy_name in builder.buddies:
        buddy = form.findChild(QWidget, buddy_name)
        if buddy is None:
            raise FormError(f"the buddy {buddy_name} is not in the form")
        label.setBuddy(buddy)
    tabstops = root.find("tabstops")
    names = [t.text for t in tabstops.all("tabstop")] if tabstops is not None else []
    chain = [form.findChild(QWidget, name) for name in names]
    for first, second in zip(chain, chain[1:], strict=False):
        if first is not None and second is not None:
            QWidget.setTabOrder(first, second)
    return form


__all__ = ["FormError", "build_form"]
