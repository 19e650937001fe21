"""The tables both demo builders draw from (the small demo in :mod:`shop_desk.demo`, the
ten-year database in :mod:`shop_desk.bulkdemo`): names, companies, cars, colours, plates and
the complaints with the labour and parts that fix them; and VINs with a correct check digit."""

from __future__ import annotations

from shop_desk.validation import vin_check_digit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "志强",
    "丽",
)
COMPANIES = ("上海申通物流有限公司", "闵行区城市管理局", "华东电子科技有限公司", "浦江建设集团")
CARS = (
    ("大众 Volkswagen", "帕萨特 Passat", "LSVAU2A3"),
    ("大众 Volkswagen", "朗逸 Lavida", "LSVNV2187"),
    ("丰田 Toyota", "卡罗拉 Corolla", "LFMAP86C"),
    ("本田 Honda", "雅阁 Accord", "LHGCR265"),
    ("别克 Buick", "英朗 Excelle GT", "LSGKB54H"),
    ("比亚迪 BYD", "秦PLUS DM-i", "LC0CE4CB"),
    ("吉利 Geely", "星越L Monjaro", "L6T79T2E"),
    ("日产 Nissan", "轩逸 Sylphy", "LGBH52E0"),
)
COLOURS = ("白 White", "黑 Black", "银 Silver", "灰 Grey", "蓝 Blue", "红 Red")
PROVINCE_PLATES = ("沪A", "沪B", "沪C", "沪D", "苏E", "浙A")
COMPLAINTS = (
    ("5000公里保养", "MNT-5K", ["FLT-OIL", "OIL-5W30-4L"]),
    ("10000公里保养，顺便检查空调", "MNT-10K", ["FLT-OIL", "OIL-5W30-4L", "FLT-AIR", "FLT-CAB"]),
    ("刹车时有异响，踩刹车发软", "BRK-F", ["PAD-F"]),
    ("空调不制冷，出风是热的", "AC-REG", ["AC-COMP"]),
    ("发动机怠速抖动厉害", "ENG-MNT", ["MNT-ENG"]),
    ("早上打不着火，电瓶没电", "BAT", ["BAT-60AH"]),
    ("左前车窗升不上去", "WIN-REG", ["WIN-MTR"]),
    ("过减速带前面咚咚响", "SUSP-F", ["SHK-F"]),
    ("雨刮器刮不干净", "WPR", ["WPR-SET"]),
    ("方向盘跑偏", "ALN-4W", []),
    ("右后门被刮花了，需要喷漆", "BODY-PNT", []),
)


def make_vin(prefix: str, serial: int) -> str:
    """A VIN with a correct check digit."""
    body = (prefix + "X" * 8)[:8]
    rest = f"N{chr(ord('A') + serial % 8)}{serial:06d}"[-8:]
    vin = body + "0" + rest
    return vin[:8] + vin_check_digit(vin) + vin[9:]
