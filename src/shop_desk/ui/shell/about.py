"""The About box: the program's version, the open database's schema version and the
licences of what the application bundle ships (the WenQuanYi font's licence in full)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from shop_desk import __version__, licences
from shop_desk.i18n import translate
from shop_desk.ui.shell.fit import fit_to_screen


def schema_text() -> str:
    """The open database's schema version and the one this version of shop-desk writes."""
    from shop_desk.migrations import LATEST, schema_version
    from shop_desk.models.base import database

    try:
        found = schema_version(database.obj) if database.obj is not None else None
    except Exception:  # noqa: BLE001 - a lost server connection must not stop the About box
        found = None
    if found is None:
        return translate("About", "no database open (this version writes schema {latest})").format(
            latest=LATEST
        )
    return translate("About", "{found} (this version writes schema {latest})").format(
        found=found, latest=LATEST
    )


def licences_html() -> str:
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(c.version)}</td>"
        f"<td>{html.escape(c.licence)}</td></tr>"
        for c in licences.components()
    )
    head = (
        f"<tr><th align='left'>{translate('About', 'Component')}</th>"
        f"<th align='left'>{translate('About', 'Version')}</th>"
        f"<th align='left'>{translate('About', 'Licence')}</th></tr>"
    )
    return f"<table cellspacing='0' cellpadding='3'>{head}{rows}</table>"


class AboutDialog(QDialog):
    """Version, schema version and licences; the font licence on its own tab."""

    def __init__(self, shop_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(translate("About", "About shop-desk"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setObjectName("aboutSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setText(
            "<b>shop-desk {version}</b><br>{what}<br>{schema_label} {schema}".format(
                version=html.escape(__version__),
                what=html.escape(
                    translate("About", "The after-sales service desk of {shop}.").format(
                        shop=shop_name
                    )
                ),
                schema_label=html.escape(translate("About", "Database schema:")),
                schema=html.escape(schema_text()),
            )
        )
        layout.addWidget(self.summary)
        self.tabs = QTabWidget(self)
        self.components = QTextBrowser(self)
        self.components.setObjectName("aboutLicences")
        self.components.setHtml(
            "<p>"
            + html.escape(
                translate(
                    "About",
                    "shop-desk is proprietary software. It ships with these components, each "
                    "under its own licence:",
                )
            )
            + "</p>"
            + licences_html()
        )
        self.tabs.addTab(self.components, translate("About", "Components"))
        self.font_licence = QTextBrowser(self)
        self.font_licence.setObjectName("aboutFontLicence")
        self.font_licence.setPlainText(licences.font_licence_text())
        self.tabs.addTab(self.font_licence, translate("About", "Font licence (WenQuanYi)"))
        layout.addWidget(self.tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(translate("About", "Close"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        fit_to_screen(self)
        super().showEvent(event)
