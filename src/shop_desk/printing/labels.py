"""Translated words for the codes the forms print (pay types, payment methods, damage kinds...).

Every function is called while a form is built, so the words follow the language in force.
Unknown codes are printed as they are rather than hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from shop_desk.i18n import translate
from shop_desk.money import money


def pay_type(code: str) -> str:
    labels = {
        "customer": translate("Printing", "Customer pays"),
        "warranty": translate("Printing", "Warranty claim"),
        "internal": translate("Printing", "Internal"),
        "goodwill": translate("Printing", "Goodwill"),
        "insurance": translate("Printing", "Insurance"),
    }
    return labels.get(code, code)


def payment_method(code: str) -> str:
    labels = {
        "cash": translate("Printing", "Cash"),
        "card": translate("Printing", "Bank card"),
        "wechat": translate("Printing", "WeChat Pay"),
        "alipay": translate("Printing", "Alipay"),
        "transfer": translate("Printing", "Transfer"),
        "on_account": translate("Printing", "On account"),
        "": translate("Printing", "Not chosen yet"),
    }
    return labels.get(code, code)


def old_parts(code: str) -> str:
    labels = {
        "take_home": translate("Printing", "Customer takes them"),
        "dispose": translate("Printing", "Shop disposes"),
    }
    return labels.get(code, code)


def warranty_decision(code: str) -> str:
    labels = {
        "": translate("Printing", "Not decided"),
        "covered": translate("Printing", "Covered by warranty"),
        "not_covered": translate("Printing", "Not covered by warranty"),
        "pending": translate("Printing", "Pending manufacturer approval"),
    }
    return labels.get(code, code)


def line_kind(code: str) -> str:
    labels = {"labour": translate("Printing", "Labour"), "part": translate("Printing", "Part")}
    return labels.get(code, code)


def line_status(origin: str, auth_state: str, decided_by: str = "") -> str:
    """A note after the description for additional work and lines not (yet) authorised;
    ``decided_by`` "insurer": a supplementary assessment, which the insurer decides."""
    if decided_by == "insurer":
        return {
            "proposed": translate(
                "Printing", "supplementary assessment, awaiting the insurer's approval"
            ),
            "declined": translate("Printing", "supplementary assessment, declined by the insurer"),
        }.get(
            auth_state, translate("Printing", "supplementary assessment, approved by the insurer")
        )
    if auth_state == "proposed":
        return translate("Printing", "additional work, awaiting customer authorisation")
    if auth_state == "declined":
        return translate("Printing", "declined by the customer")
    if origin == "additional":
        return translate("Printing", "additional work, authorised")
    return ""


def mark_kind(code: str) -> str:
    labels = {
        "scratch": translate("Printing", "Scratch"),
        "dent": translate("Printing", "Dent"),
        "crack": translate("Printing", "Crack"),
        "chip": translate("Printing", "Chip"),
        "other": translate("Printing", "Other"),
    }
    return labels.get(code, code)


def view(code: str) -> str:
    labels = {
        "top": translate("Printing", "Top (front at the left)"),
        "front": translate("Printing", "Front"),
        "rear": translate("Printing", "Rear"),
        "left": translate("Printing", "Left side"),
        "right": translate("Printing", "Right side"),
    }
    return labels.get(code, code)


def warning_light(code: str) -> str:
    labels = {
        "engine": translate("Printing", "Engine"),
        "check_engine": translate("Printing", "Engine"),
        "abs": translate("Printing", "ABS"),
        "airbag": translate("Printing", "Airbag"),
        "oil": translate("Printing", "Oil pressure"),
        "battery": translate("Printing", "Battery / charging"),
        "brake": translate("Printing", "Brake"),
        "tpms": translate("Printing", "Tyre pressure"),
        "tyre_pressure": translate("Printing", "Tyre pressure"),
        "coolant": translate("Printing", "Coolant temperature"),
        "esp": translate("Printing", "Stability control"),
        "service": translate("Printing", "Service due"),
        "fuel": translate("Printing", "Low fuel"),
        "epc": translate("Printing", "EPC"),
        "seatbelt": translate("Printing", "Seat belt"),
        "glow_plug": translate("Printing", "Glow plug"),
        "steering": translate("Printing", "Power steering"),
        "lights": translate("Printing", "Lighting fault"),
        "other": translate("Printing", "Other warning light"),
    }
    return labels.get(code, code)


def recommendation_state(code: str) -> str:
    labels = {
        "open": translate("Printing", "Not decided"),
        "accepted": translate("Printing", "Accepted"),
        "declined": translate("Printing", "Declined by the customer"),
        "done": translate("Printing", "Done"),
    }
    return labels.get(code, code)


def yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return translate("Printing", "Yes") if value else translate("Printing", "No")


def join(items: Iterable[str]) -> str:
    """A list in running text: "a, b, c" (Chinese: 顿号 、)."""
    return translate("Printing", ", ").join(items)


def tick(value: bool) -> str:
    """■ for yes, □ for no (the bundled font has both glyphs)."""
    return "■" if value else "□"


def fuel(percent: int | None) -> str:
    if percent is None:
        return ""
    p = max(0, min(100, int(percent)))
    return f"{p}%"


# --------------------------------------------------------------------------- values


def amount(value: Decimal | None) -> str:
    """1,409.50 in table cells (the currency is in the column head)."""
    if value is None:
        return ""
    return f"{money(value):,.2f}"


def number(value: Decimal | None) -> str:
    """Hours and quantities: 1.5, 2, 0.25."""
    if value is None:
        return ""
    d = Decimal(value).quantize(Decimal("0.01"))
    text = f"{d:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def km(value: int | None) -> str:
    if value is None:
        return ""
    return translate("Printing", "{km} km").format(km=f"{value:,}")


def when(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def in_capitals(words: str) -> str:
    """The amount in Chinese capitals as a cheque or an invoice writes it: 人民币壹佰元整
    (Chinese in every language: the capitals are the legal way to write the amount)."""
    return words if not words or words.startswith("人民币") else f"人民币{words}"


def auth_method(code: str) -> str:
    """How the customer authorised additional work."""
    labels = {
        "in_person": translate("Printing", "in person"),
        "phone": translate("Printing", "by phone"),
        "signature": translate("Printing", "signed"),
        "": translate("Printing", "not recorded"),
    }
    return labels.get(code, code)
