"""Checks for what staff type in: VIN, Chinese plates, mobile numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shop_desk.i18n import translate

_VIN_CHARS = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")
_TRANSLIT = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领"
#: After the province and the issuing office: five characters; a new-energy car's six (D or F
#: first or last); or four followed by the kind of plate — 挂 trailer, 学 learner, 警 police,
#: 港/澳 Hong Kong and Macau cars (川A·1234学, 粤B·1234挂, 粤Z·1234港).
_PLATE = re.compile(
    rf"^[{PROVINCES}][A-HJ-NP-Z][·•.]?(?:[A-HJ-NP-Z0-9]{{5}}|[A-HJ-NP-Z0-9]{{4}}[挂学警港澳]"
    rf"|[DF][A-HJ-NP-Z0-9]{{5}}|[A-HJ-NP-Z0-9]{{5}}[DF])$"
)
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)  # ASCII: not other scripts' digits
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$", re.ASCII)


@dataclass(frozen=True)
class Check:
    ok: bool
    value: str
    message: str = ""
    warning: str = ""


def normalise_vin(text: str) -> str:
    return re.sub(r"[\s-]", "", str(text or "")).upper()


def vin_check_digit(vin: str) -> str:
    total = sum(_TRANSLIT[c] * w for c, w in zip(vin, _WEIGHTS, strict=True))
    rem = total % 11
    return "X" if rem == 10 else str(rem)


def check_vin(text: str) -> Check:
    """17 characters without I, O, Q; position 9 check digit verified as a warning only."""
    vin = normalise_vin(text)
    if len(vin) != 17:
        return Check(
            False,
            vin,
            translate("Validation", "A VIN has 17 characters; this one has {n}.").format(
                n=len(vin)
            ),
        )
    if any(c in "IOQ" for c in vin):
        return Check(
            False, vin, translate("Validation", "A VIN never contains the letters I, O or Q.")
        )
    if not _VIN_CHARS.match(vin):
        return Check(False, vin, translate("Validation", "A VIN has only letters and digits."))
    if vin[8] != vin_check_digit(vin):
        return Check(
            True,
            vin,
            warning=translate(
                "Validation",
                "The check digit (9th character) does not match; please compare the VIN with the "
                "vehicle (some markets do not use the check digit).",
            ),
        )
    return Check(True, vin)


def _quoted(text: str) -> str:
    """The user's input as quoted in a message: short, and without broken Unicode."""
    short = text if len(text) <= 40 else text[:40] + "…"
    return short.encode("utf-8", "replace").decode()


def normalise_plate(text: str) -> str:
    plate = re.sub(r"\s", "", str(text or "")).upper()
    return plate.replace("•", "·").replace(".", "·")


def plate_key(text: str) -> str:
    """The plate without the middle dot, for comparing and searching."""
    return normalise_plate(text).replace("·", "")


def check_plate(text: str) -> Check:
    """Province character + letter + 5 characters (new-energy: 6; learner, trailer, police,
    Hong Kong and Macau cars: 4 and the plate's kind), middle dot optional."""
    plate = normalise_plate(text)
    if not plate:
        return Check(False, plate, translate("Validation", "Please enter the plate number."))
    if not _PLATE.match(plate):
        return Check(
            False,
            plate,
            translate(
                "Validation",
                "{plate} is not a valid Chinese plate: province character, a letter, then 5 "
                "characters (new-energy vehicles: 6), e.g. 京A·12345 or 粤B·D12345.",
            ).format(plate=_quoted(plate)),
        )
    return Check(True, plate_key(plate))


def normalise_phone(text: str) -> str:
    digits = re.sub(r"[\s()]", "", str(text or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    return digits


def check_phone(text: str, required: bool = True) -> Check:
    """Mainland mobile (11 digits, 1[3-9]…) or a landline with area code."""
    phone = normalise_phone(text)
    if not phone:
        if required:
            return Check(False, phone, translate("Validation", "Please enter a phone number."))
        return Check(True, phone)
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return Check(True, phone)
    return Check(
        False,
        phone,
        translate(
            "Validation",
            "{phone} is not a valid phone number: a mobile has 11 digits starting with 13–19, a "
            "landline starts with its area code (e.g. 010-12345678).",
        ).format(phone=_quoted(phone)),
    )


def display_plate(plate: str) -> str:
    """京A12345 → 京A·12345 (how plates are written on forms)."""
    key = plate_key(plate)
    return f"{key[:2]}·{key[2:]}" if len(key) > 2 else key
