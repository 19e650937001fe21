"""The light form builder gives the sign-in form exactly as its compiled module (pyside6-uic)
does, in both languages, and refuses what it does not understand instead of building something
else."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QLayout, QWidget

from shop_desk import i18n
from shop_desk.paths import form_path
from shop_desk.ui.shell import formbuild
from shop_desk.ui.shell.formbuild import FormError, build_form
from shop_desk.ui.shell.uiload import load_form, load_simple_form

#: Properties the builder may set, compared on every widget of the form.
COMPARED = (
    "text",
    "alignment",
    "wordWrap",
    "minimumSize",
    "editTriggers",
    "alternatingRowColors",
    "uniformItemSizes",
    "echoMode",
    "maxLength",
    "placeholderText",
    "styleSheet",
    "autoDefault",
    "default",
    "windowTitle",
)


def describe(form: QWidget) -> list[tuple]:
    """Every widget and layout of the form with what the .ui sets on it, and where it sits.

    Places are read with ``indexOf``: wrappers of layout items (``itemAt``) are not QObjects,
    so PySide cannot tell when the layout deletes them, and collecting one later crashes."""
    layouts = form.findChildren(QLayout)
    out = [("size", form.size().width(), form.size().height())]
    for obj in [form, *form.findChildren(QWidget), *layouts]:
        row: list = [type(obj).__name__, obj.objectName()]
        row += [(lay.objectName(), lay.indexOf(obj)) for lay in layouts if lay.indexOf(obj) >= 0]
        if isinstance(obj, QLayout):
            m = obj.contentsMargins()
            row += [obj.spacing(), (m.left(), m.top(), m.right(), m.bottom()), obj.count()]
        else:
            for name in COMPARED:
                if obj.metaObject().indexOfProperty(name) >= 0:
                    try:
                        value = obj.property(name)
                    except RuntimeError:  # flags PySide cannot hand back as a property
                        value = getattr(obj, name)()
                    row.append((name, value if not hasattr(value, "value") else value.value))
            if isinstance(obj, QLabel):
                row.append(("buddy", obj.buddy().objectName() if obj.buddy() else None))
        out.append(tuple(row))
    return sorted(out, key=repr)


def focus_chain(form: QWidget) -> list[str]:
    names, widget = [], form.nextInFocusChain()
    while widget is not form and len(names) < 50:
        names.append(widget.objectName())
        widget = widget.nextInFocusChain()
    return names


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_sign_in_form_is_the_one_the_compiled_module_builds(qapp, lang):
    i18n.install_language(lang)
    try:
        light = build_form(form_path("login.ui"))
        loaded = load_form("login")
        assert describe(light) == describe(loaded)
        assert focus_chain(light) == focus_chain(loaded)
        if lang == "zh_CN":  # translated in the form's own context, as by the compiled module
            sign_in = light.findChild(QWidget, "signInButton")
            assert sign_in.text() == loaded.findChild(QWidget, "signInButton").text() != "Sign in"
    finally:
        i18n.install_language("en")


def test_the_start_builds_the_sign_in_form_from_its_tree_without_reading_xml(qapp, monkeypatch):
    """load_simple_form takes the tree compile_forms wrote into forms_gen (kept up to date by
    test_ui_forms_gen): the same form, no XML parsed (pyexpat is not loaded at start)."""

    def no_xml(data):
        raise AssertionError("the sign-in form was parsed from XML at start")

    expected = describe(load_form("login"))
    monkeypatch.setattr(formbuild, "parse_tree", no_xml)
    light = load_simple_form("login")
    assert describe(light) == expected
    assert focus_chain(light) == focus_chain(load_form("login"))
    with pytest.raises(LookupError, match="SIMPLE_FORMS"):
        load_simple_form("gate_window")


FORM = """<?xml version="1.0" encoding="UTF-8"?>
<ui version="4.0">
 <class>Probe</class>
 <widget class="QWidget" name="Probe">
  <layout class="{layout}" name="outer">
   <item>
    <widget class="{widget}" name="field">
     <property name="{prop}"><{kind}>{value}</{kind}></property>
    </widget>
   </item>
  </layout>
 </widget>
</ui>
"""


@pytest.mark.parametrize(
    "layout, widget, prop, kind, value, message",
    [
        ("QGridLayout", "QLabel", "text", "string", "x", "QGridLayout"),
        ("QVBoxLayout", "QFancyThing", "text", "string", "x", "QFancyThing"),
        ("QVBoxLayout", "QLabel", "colour", "string", "x", "no property colour"),
        ("QVBoxLayout", "QLabel", "alignment", "set", "Qt::Sideways", "Qt::Sideways"),
        ("QVBoxLayout", "QLabel", "font", "font", "", "font values"),
    ],
)
def test_what_it_does_not_know_is_refused(
    qapp, tmp_path, layout, widget, prop, kind, value, message
):
    path = tmp_path / "probe.ui"
    path.write_text(
        FORM.format(layout=layout, widget=widget, prop=prop, kind=kind, value=value), "utf-8"
    )
    with pytest.raises(FormError, match=message):
        build_form(path)


def test_values_of_the_form_reach_the_widgets(qapp, tmp_path):
    path = tmp_path / "probe.ui"
    path.write_text(
        FORM.format(
            layout="QHBoxLayout",
            widget="QLineEdit",
            prop="echoMode",
            kind="enum",
            value="QLineEdit::Password",
        ),
        "utf-8",
    )
    form = build_form(path)
    field = form.findChild(QWidget, "field")
    assert field.echoMode() == field.EchoMode.Password
    assert form.layout().objectName() == "outer" and form.layout().indexOf(field) == 0
