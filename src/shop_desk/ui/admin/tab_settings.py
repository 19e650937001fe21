"""Admin tab "Shop settings": the shop's name, address, opening hours, rates and logo."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QTime
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.services import admin
from shop_desk.services.orders import settings
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import (
    ErrorBanner,
    allowed,
    mark_invalid,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class SettingsTab(QWidget):
    """The shop settings form (forms/settings_form.ui)."""

    TEXT = {
        "name": "nameEdit",
        "address": "addressEdit",
        "phone": "phoneEdit",
        "peak_hours": "peakHoursEdit",
        "labour_rate": "labourRateEdit",
        "discount_limit_percent": "discountLimitEdit",
    }
    INTS = {
        "service_interval_km": "serviceKmSpin",
        "service_interval_months": "serviceMonthsSpin",
        "comeback_window_days": "comebackDaysSpin",
        "follow_up_days": "followUpDaysSpin",
        "follow_up_retries": "followUpRetriesSpin",
        "sanbao_days": "sanbaoDaysSpin",
        "sanbao_km": "sanbaoKmSpin",
        "bays": "baysSpin",
        "idle_lock_minutes": "idleLockSpin",
    }
    TIMES = {"workday_start": "workdayStartEdit", "workday_end": "workdayEndEdit"}

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("settingsTab")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        outer.addWidget(self.banner)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form = load_form("settings_form")
        scroll.setWidget(self.form)
        outer.addWidget(scroll, 1)
        self.widgets: dict[str, QWidget] = {}
        for key, name in self.TEXT.items():
            self.widgets[key] = child(self.form, QLineEdit, name)
        for key, name in self.INTS.items():
            self.widgets[key] = child(self.form, QSpinBox, name)
        for key, name in self.TIMES.items():
            self.widgets[key] = child(self.form, QTimeEdit, name)
        self.widgets["tax_rate"] = child(self.form, QSpinBox, "taxRateSpin")
        for key, widget in self.widgets.items():
            if key not in ("name", "address", "phone", "peak_hours"):
                widget.setMaximumWidth(170)
        for key in ("labour_rate", "discount_limit_percent"):
            edit = self.widgets[key]
            assert isinstance(edit, QLineEdit)
            from shop_desk.ui.shell.widgets import decimal_validator

            edit.setValidator(decimal_validator(edit, 6 if key == "labour_rate" else 3, 2))
        self.logo_preview = child(self.form, QLabel, "logoPreview")
        self.widgets["logo"] = self.logo_preview
        child(self.form, QPushButton, "chooseLogoButton").clicked.connect(self.choose_logo)
        child(self.form, QPushButton, "clearLogoButton").clicked.connect(self.clear_logo)
        self.save_button = child(self.form, QPushButton, "saveButton")
        self.save_button.clicked.connect(self.save)
        child(self.form, QPushButton, "revertButton").clicked.connect(self.load)
        if not allowed(window.staff, admin.update_settings):
            self.save_button.setEnabled(False)
        self.loaded: dict[str, Any] = {}
        self.logo: bytes | None = None
        self.load()

    def refresh(self) -> None:
        self.load()

    def load(self) -> None:
        """Show the stored settings (drops unsaved edits)."""
        row = settings()
        for key in self.TEXT:
            value = getattr(row, key)
            self.widgets[key].setText(
                self._decimal_text(value) if isinstance(value, Decimal) else str(value or "")
            )
        for key in self.INTS:
            self.widgets[key].setValue(int(getattr(row, key) or 0))
        for key in self.TIMES:
            hh, mm = (int(x) for x in (getattr(row, key) or "00:00").split(":"))
            self.widgets[key].setTime(QTime(hh, mm))
        self.widgets["tax_rate"].setValue(int((row.tax_rate * 100).to_integral_value()))
        self._set_logo(row.logo)
        self.loaded = self.values()
        for widget in self.widgets.values():
            mark_invalid(widget, False)
        self.banner.clear_message()

    @staticmethod
    def _decimal_text(value: Decimal) -> str:
        return (
            format(value.normalize(), "f")
            if value == value.to_integral_value()
            else format(value, "f")
        )

    def values(self) -> dict[str, Any]:
        """The form as the service takes it (text for decimals, ints, HH:MM, bytes)."""
        out: dict[str, Any] = {}
        for key in self.TEXT:
            out[key] = self.widgets[key].text().strip()
        for key in self.INTS:
            out[key] = self.widgets[key].value()
        for key in self.TIMES:
            out[key] = self.widgets[key].time().toString("HH:mm")
        out["tax_rate"] = str(Decimal(self.widgets["tax_rate"].value()) / 100)
        out["logo"] = self.logo
        return out

    def changes(self) -> dict[str, Any]:
        now = self.values()
        return {k: v for k, v in now.items() if self.loaded.get(k) != v}

    def save(self) -> None:
        changes = self.changes()
        for widget in self.widgets.values():
            mark_invalid(widget, False)
        if not changes:
            self.banner.show_info(translate("AdminPages", "Nothing changed."))
            return
        try:
            admin.update_settings(self.window_.staff, **changes)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            if isinstance(exc, ValidationError) and exc.field in self.widgets:
                mark_invalid(self.widgets[exc.field])
                self.widgets[exc.field].setFocus()
            return
        self.loaded = self.values()
        self.banner.show_info(translate("AdminPages", "Settings saved."))
        self.window_.show_status(translate("AdminPages", "Settings saved."))
        self.window_.reload_settings()

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("AdminPages", "Choose the shop logo"),
            "",
            translate("AdminPages", "Images (*.png *.jpg *.jpeg *.bmp)"),
        )
        if path:
            self.use_logo_file(path)

    def use_logo_file(self, path: str) -> bool:
        image = QImage(path)
        if image.isNull():
            self.banner.show_error(
                translate("AdminPages", "{name} is not an image shop-desk can read.").format(
                    name=Path(path).name
                )
            )
            return False
        if image.width() > 600:
            image = image.scaledToWidth(600, Qt.TransformationMode.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        self._set_logo(bytes(data.data()))
        return True

    def clear_logo(self) -> None:
        self._set_logo(None)

    def _set_logo(self, data: bytes | None) -> None:
        self.logo = data
        if data:
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    156,
                    44,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(translate("AdminPages", "No logo"))
