"""A light builder for the simplest Qt Designer forms: the sign-in window at start-up.

Every other form is compiled ahead of time by pyside6-uic (:mod:`shop_desk.ui.compile_forms`).
The sign-in form is not built from its compiled module because that module, like every
module uic writes, imports PySide6's ``Qt`` namespace and a dozen QtGui classes before the
window: 20 ms of CPU to build the namespace's enums and 9 ms for the classes, measured when the
first window is up. With the compiled sign-in form the start-up benchmark's ratio to a bare
PySide6 window went from 1.43 to 1.61 (CPU, ``benchmarks/run.py`` startup rows; the target is
1.5), so this builder stays for that one form, built with only the classes it uses, the same
texts translated in the same context (the form's class), and enum and flag values looked up in
Qt's meta-objects, not in PySide's Python enums. The form's element tree is written into
``forms_gen`` by :mod:`shop_desk.ui.compile_forms` (``SIMPLE_FORMS``), so the start reads no
XML either. Only what simple forms use is understood: widgets, box layouts, spacers, plain
properties, buddies and tab order; anything else raises ``FormError``, so a form that outgrows
this builder fails its test, not a shop PC (tests/ui/shell/test_ui_formbuild.py compares the
result with the compiled module's).
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


#: One XML element as plain tuples (tag, attributes, text, children): what :func:`parse_tree`
#: makes, and what :mod:`shop_desk.ui.compile_forms` writes into ``forms_gen`` for the sign-in
#: form, which the start-up so builds without reading XML (loading pyexpat alone costs a
#: millisecond before the login window, issue 24).
Tree = tuple[str, dict[str, str], str, tuple["Tree", ...]]


def _find(node: Tree, tag: str) -> Tree | None:
    return next((c for c in node[3] if c[0] == tag), None)


def _all(node: Tree, tag: str) -> list[Tree]:
    return [c for c in node[3] if c[0] == tag]


def parse_tree(data: bytes) -> Tree:
    """The .ui file's root element as a :data:`Tree` (pyexpat directly: ElementTree costs a
    hundredth of a second)."""
    import pyexpat

    stack: list[tuple[str, dict[str, str], list[str], list[Tree]]] = [("", {}, [], [])]

    def start(tag: str, attrs: dict[str, str]) -> None:
        stack.append((tag, attrs, [], []))

    def end(_tag: str) -> None:
        tag, attrs, parts, children = stack.pop()
        text = "".join(parts)
        if children and not text.strip():  # the indentation between child elements
            text = ""
        stack[-1][3].append((tag, attrs, text, tuple(children)))

    def chars(text: str) -> None:
        stack[-1][2].append(text)

    parser = pyexpat.ParserCreate("UTF-8")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.Parse(data, True)
    return stack[0][3][0]


class _Builder:
    def __init__(self, context: str) -> None:
        self.context = context
        self.buddies: list[tuple[QLabel, str]] = []

    def text(self, node: Tree) -> str:
        _tag, attrs, text, _children = node
        if attrs.get("notr") == "true":
            return text
        return QCoreApplication.translate(self.context, text, attrs.get("comment"))

    def value(self, owner: QObject | None, name: str, node: Tree) -> object:
        """A property value as Qt takes it (enums and flags as numbers from the meta-object)."""
        kind, text = node[0], node[2].strip()
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
        parts = {c[0]: int(c[2]) for c in node[3]}
        if kind == "size":
            return QSize(parts["width"], parts["height"])
        if kind == "rect":
            return QRect(parts["x"], parts["y"], parts["width"], parts["height"])
        raise FormError(f"property {name}: {kind} values are not supported")

    def widget(self, node: Tree, parent: QWidget | None, top: bool = False) -> QWidget:
        attrs = node[1]
        cls = getattr(QtWidgets, attrs["class"], None)
        if not (isinstance(cls, type) and issubclass(cls, QWidget)):
            raise FormError(f"unknown widget class {attrs['class']}")
        widget = cls(parent)
        widget.setObjectName(attrs.get("name", ""))
        for prop in _all(node, "property"):
            name, (value_node,) = prop[1]["name"], prop[3]
            if name == "buddy":
                self.buddies.append((widget, value_node[2]))
            elif name == "geometry" and top:  # the form's own size, as QUiLoader takes it
                widget.resize(self.value(widget, name, value_node).size())
            elif widget.metaObject().indexOfProperty(name) < 0:
                raise FormError(f"{attrs['class']} has no property {name}")
            elif not widget.setProperty(name, self.value(widget, name, value_node)):
                raise FormError(f"{attrs['class']}.{name} cannot be set")
        if _all(node, "widget"):
            raise FormError("child widgets outside a layout are not supported")
        layout = _find(node, "layout")
        if layout is not None:
            self.layout(layout, widget, None)
        return widget

    def layout(self, node: Tree, owner: QWidget, outer: QBoxLayout | None) -> QBoxLayout:
        kind = node[1]["class"]
        if kind not in _LAYOUTS:
            raise FormError(f"{kind} is not supported")
        layout = getattr(QtWidgets, kind)(owner if outer is None else None)
        layout.setObjectName(node[1].get("name", ""))
        for prop in _all(node, "property"):
            name, (value_node,) = prop[1]["name"], prop[3]
            if name == "spacing":
                layout.setSpacing(int(value_node[2]))
            elif name in _MARGINS:
                m = layout.contentsMargins()
                margins = [m.left(), m.top(), m.right(), m.bottom()]
                margins[_MARGINS.index(name)] = int(value_node[2])
                layout.setContentsMargins(*margins)
            else:
                raise FormError(f"layout property {name} is not supported")
        if outer is not None:
            outer.addLayout(layout)
        for item in _all(node, "item"):
            (child,) = item[3]
            if child[0] == "widget":
                layout.addWidget(self.widget(child, owner))
            elif child[0] == "layout":
                self.layout(child, owner, layout)
            elif child[0] == "spacer":
                layout.addItem(self.spacer(child))
            else:
                raise FormError(f"layout item {child[0]} is not supported")
        return layout

    def spacer(self, node: Tree) -> QSpacerItem:
        props = {p[1]["name"]: p[3][0] for p in _all(node, "property")}
        size = props.get("sizeHint")
        hint = self.value(None, "sizeHint", size) if size is not None else QSize(20, 20)
        width, height = hint.width(), hint.height()
        orientation = props.get("orientation")
        horizontal = orientation is None or orientation[2].strip().endswith("Horizontal")
        grow, keep = QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum
        return QSpacerItem(width, height, *((grow, keep) if horizontal else (keep, grow)))


def build_form(path: Path, parent: QWidget | None = None) -> QWidget:
    """The widget tree of a simple .ui file, as QUiLoader would build it."""
    return build_tree(parse_tree(Path(path).read_bytes()), parent, str(path))


def build_tree(root: Tree, parent: QWidget | None = None, source: str = "the form") -> QWidget:
    """The widget tree of a parsed .ui file (:func:`parse_tree`)."""
    class_node = _find(root, "class")
    context = class_node[2].strip() if class_node is not None else ""
    top = _find(root, "widget")
    if top is None:
        raise FormError(f"{source} has no widget")
    builder = _Builder(context)
    form = builder.widget(top, parent, top=True)
    for label, buddy_name in builder.buddies:
        buddy = form.findChild(QWidget, buddy_name)
        if buddy is None:
            raise FormError(f"the buddy {buddy_name} is not in the form")
        label.setBuddy(buddy)
    tabstops = _find(root, "tabstops")
    names = [t[2] for t in _all(tabstops, "tabstop")] if tabstops is not None else []
    chain = [form.findChild(QWidget, name) for name in names]
    for first, second in zip(chain, chain[1:], strict=False):
        if first is not None and second is not None:
            QWidget.setTabOrder(first, second)
    return form


__all__ = ["FormError", "Tree", "build_form", "build_tree", "parse_tree"]
