"""What a VIN tells before anyone types the car's make, model and year.

The manufacturer comes from the WMI (the first three characters, ISO 3780), from a table of
the makes sold in China, the Chinese joint ventures first; the model year from the 10th
character (the 30-year cycle read as the latest year not after next year). The shop's own
history knows more: cars on file whose VIN shares the first 8 characters (WMI and the
manufacturer's model code) propose their make and model, as the shop writes them. Every
value says where it came from, for the screen to show; nothing here is stored.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import Vehicle
from shop_desk.validation import check_vin, normalise_vin

#: WMI → manufacturer, in both languages like the rest of the shop's data.
WMI_MAKES: dict[str, str] = {
    # Chinese joint ventures and Chinese makes
    "LFV": "一汽-大众 FAW-Volkswagen",
    "LSV": "上汽大众 SAIC Volkswagen",
    "LGB": "东风日产 Dongfeng Nissan",
    "LHG": "广汽本田 GAC Honda",
    "LVH": "东风本田 Dongfeng Honda",
    "LVS": "长安福特 Changan Ford",
    "LBV": "华晨宝马 BMW Brilliance",
    "LSG": "上汽通用 SAIC-GM",
    "LVG": "广汽丰田 GAC Toyota",
    "LFM": "一汽丰田 FAW Toyota",
    "LDC": "神龙汽车 Dongfeng Peugeot-Citroën",
    "LJD": "东风悦达起亚 Dongfeng Yueda Kia",
    "LBE": "北京现代 Beijing Hyundai",
    "LE4": "北京奔驰 Beijing Benz",
    "LRW": "特斯拉上海 Tesla Shanghai",
    "LSJ": "上汽名爵/荣威 SAIC MG/Roewe",
    "LZW": "上汽通用五菱 SAIC-GM-Wuling",
    "LVR": "长安马自达 Changan Mazda",
    "LYV": "沃尔沃亚太 Volvo Cars Asia Pacific",
    "LGX": "比亚迪 BYD",
    "LC0": "比亚迪 BYD",
    "LB3": "吉利 Geely",
    "LS5": "长安 Changan",
    "LGW": "长城 Great Wall",
    "LNB": "北汽 BAIC",
    "LVV": "奇瑞 Chery",
    "LMG": "广汽传祺 GAC Trumpchi",
    "LFP": "一汽轿车 FAW Car",
    "LJ1": "江淮 JAC",
    "LGJ": "东风风神 Dongfeng Fengshen",
    # imported cars
    "WVW": "大众 Volkswagen",
    "WV1": "大众商用车 Volkswagen Commercial",
    "WV2": "大众商用车 Volkswagen Commercial",
    "WAU": "奥迪 Audi",
    "WBA": "宝马 BMW",
    "WBS": "宝马 M BMW M",
    "WDD": "梅赛德斯-奔驰 Mercedes-Benz",
    "WDB": "梅赛德斯-奔驰 Mercedes-Benz",
    "W1K": "梅赛德斯-奔驰 Mercedes-Benz",
    "WP0": "保时捷 Porsche",
    "WP1": "保时捷 Porsche",
    "VF1": "雷诺 Renault",
    "VF3": "标致 Peugeot",
    "VF7": "雪铁龙 Citroën",
    "ZFA": "菲亚特 Fiat",
    "ZFF": "法拉利 Ferrari",
    "SAL": "路虎 Land Rover",
    "SAJ": "捷豹 Jaguar",
    "YV1": "沃尔沃 Volvo",
    "JTD": "丰田 Toyota",
    "JTE": "丰田 Toyota",
    "JTN": "丰田 Toyota",
    "JTH": "雷克萨斯 Lexus",
    "JHM": "本田 Honda",
    "JN1": "日产 Nissan",
    "JM1": "马自达 Mazda",
    "JF1": "斯巴鲁 Subaru",
    "JA3": "三菱 Mitsubishi",
    "KMH": "现代 Hyundai",
    "KNA": "起亚 Kia",
    "1FA": "福特 Ford",
    "1G1": "雪佛兰 Chevrolet",
    "5YJ": "特斯拉 Tesla",
}

#: The 10th character's 30-year cycle (no I, O, Q, U, Z, 0): A = 1980/2010, 9 = 2009/2039.
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def make_of(vin: str) -> str:
    """The manufacturer the WMI names ("" when the table does not know it)."""
    return WMI_MAKES.get(normalise_vin(vin)[:3], "")


def model_year(vin: str, today: dt.date | None = None) -> int | None:
    """The model year the 10th character gives: the latest of its years not after next year."""
    code = normalise_vin(vin)[9:10]
    if not code or code not in _YEAR_CODES:
        return None
    latest = (today or clock.today()).year + 1
    year = 1980 + _YEAR_CODES.index(code)
    while year + 30 <= latest:
        year += 30
    return year


@dataclass(frozen=True)
class Proposed:
    """One proposed value and where it came from, in the screen's words."""

    value: str
    source: str


@dataclass(frozen=True)
class VinProposal:
    make: Proposed | None = None
    model: Proposed | None = None
    year: Proposed | None = None


def cars_like(vin: str, exclude_id: int | None = None) -> list[Vehicle]:
    """Cars on file whose VIN shares the first 8 characters (the same maker's model code)."""
    prefix = normalise_vin(vin)[:8]
    if len(prefix) < 8:
        return []
    query = Vehicle.select().where(Vehicle.vin.startswith(prefix))
    if exclude_id is not None:
        query = query.where(Vehicle.id != exclude_id)
    return list(query.limit(200))


def _like(n: int) -> str:
    if n == 1:
        return translate("Vin", "like 1 car on file")
    return translate("Vin", "like {n} cars on file").format(n=n)


def propose(vin: str, today: dt.date | None = None, exclude_id: int | None = None) -> VinProposal:
    """Make, model and year for a complete VIN: the shop's own cars of the same model code
    first (as the shop writes them), else the WMI table; the year from the 10th character."""
    if not check_vin(vin).ok:
        return VinProposal()
    from_vin = translate("Vin", "from the VIN")
    make = model = None
    similar = cars_like(vin, exclude_id)
    pairs = Counter((v.make, v.model) for v in similar if v.make or v.model)
    if pairs:
        (best_make, best_model), _n = pairs.most_common(1)[0]
        same = sum(1 for v in similar if (v.make, v.model) == (best_make, best_model))
        if best_make:
            make = Proposed(best_make, _like(same))
        if best_model:
            model = Proposed(best_model, _like(same))
    if make is None and make_of(vin):
        make = Proposed(make_of(vin), from_vin)
    year = model_year(vin, today)
    return VinProposal(make, model, Proposed(str(year), from_vin) if year else None)
