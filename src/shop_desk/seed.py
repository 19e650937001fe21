"""The sample shop the demo, the tests and the benchmarks start from: staff, teams and
catalogues of a typical dealership, made through the admin services. (The rows every new
database gets by itself are in :mod:`shop_desk.defaults`.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shop_desk import clock
from shop_desk.models import Staff
from shop_desk.roles import Role
from shop_desk.services import admin, certifications

#: login, name, roles — every sample account's PIN is 1234.
SAMPLE_STAFF = (
    ("admin", "系统管理员 Admin", (Role.ADMIN, Role.MANAGER)),
    ("manager", "王总 Wang (GM)", (Role.MANAGER,)),
    ("advisor", "李娜 Li Na", (Role.ADVISOR, Role.CASHIER)),
    ("advisor2", "张伟 Zhang Wei", (Role.ADVISOR,)),
    ("supervisor", "刘强 Liu Qiang", (Role.SUPERVISOR,)),
    ("leader1", "陈刚 Chen Gang", (Role.TEAM_LEADER, Role.TECHNICIAN)),
    ("tech1", "赵磊 Zhao Lei", (Role.TECHNICIAN,)),
    ("tech2", "孙鹏 Sun Peng", (Role.TECHNICIAN,)),
    ("leader2", "周杰 Zhou Jie", (Role.TEAM_LEADER, Role.TECHNICIAN)),
    ("tech3", "吴昊 Wu Hao", (Role.TECHNICIAN,)),
    ("inspector", "郑涛 Zheng Tao", (Role.INSPECTOR,)),
    ("washer", "冯军 Feng Jun", (Role.WASHER,)),
    ("parts", "何静 He Jing", (Role.PARTS_CLERK,)),
    ("cashier", "马丽 Ma Li", (Role.CASHIER,)),
    ("crm", "林芳 Lin Fang", (Role.CRM_CLERK,)),
)
SAMPLE_PIN = "1234"

LABOUR_OPS = (
    # code, name, hours, skill, category
    ("MNT-5K", "5000公里常规保养 5,000 km service", "1.00", "mechanical", "maintenance"),
    ("MNT-10K", "10000公里保养 10,000 km service", "1.50", "mechanical", "maintenance"),
    ("BRK-F", "更换前刹车片 Replace front brake pads", "1.20", "mechanical", "wear"),
    ("BRK-R", "更换后刹车片 Replace rear brake pads", "1.20", "mechanical", "wear"),
    ("ALN-4W", "四轮定位 Wheel alignment", "0.80", "chassis", "maintenance"),
    ("AC-REG", "空调系统检修 Air-conditioning repair", "2.00", "electrical", "general"),
    ("ELE-DIAG", "电路故障诊断 Electrical diagnosis", "1.00", "electrical", "general"),
    ("ENG-MNT", "发动机支架更换 Replace engine mount", "2.50", "mechanical", "general"),
    ("GBX-OIL", "变速箱油更换 Gearbox oil change", "1.00", "mechanical", "maintenance"),
    ("BODY-PNT", "钣金喷漆（单面）Body and paint, one panel", "6.00", "body", "body"),
    ("WPR", "更换雨刮片 Replace wiper blades", "0.20", "mechanical", "wear"),
    ("BAT", "更换蓄电池 Replace battery", "0.50", "electrical", "general"),
    ("SUSP-F", "前减震器更换 Replace front shock absorbers", "2.20", "chassis", "general"),
    ("WIN-REG", "车窗升降器更换 Replace window regulator", "1.50", "electrical", "general"),
    ("ACC-FIT", "加装行车记录仪 Fit dash camera", "1.00", "electrical", "accessory"),
)

PARTS = (
    # part_no, name, price, stock, bin, category, unit
    ("OIL-5W30-4L", "机油 5W-30 4L Engine oil", "368.00", "40", "A-01-1", "maintenance", "桶"),
    ("FLT-OIL", "机油滤清器 Oil filter", "58.00", "60", "A-02-3", "maintenance", "个"),
    ("FLT-AIR", "空气滤清器 Air filter", "95.00", "35", "A-02-4", "maintenance", "个"),
    ("FLT-CAB", "空调滤清器 Cabin filter", "120.00", "30", "A-02-5", "maintenance", "个"),
    ("PAD-F", "前刹车片 Front brake pads", "460.00", "12", "B-01-1", "wear", "套"),
    ("PAD-R", "后刹车片 Rear brake pads", "380.00", "10", "B-01-2", "wear", "套"),
    ("WPR-SET", "雨刮片 Wiper blades", "150.00", "25", "B-03-1", "wear", "对"),
    ("BAT-60AH", "蓄电池 60Ah Battery", "720.00", "6", "C-01-1", "general", "个"),
    ("MNT-ENG", "发动机支架 Engine mount", "860.00", "3", "C-02-2", "general", "个"),
    ("AC-COMP", "空调压缩机 A/C compressor", "3280.00", "1", "C-04-1", "general", "个"),
    ("GBX-OIL-1L", "变速箱油 1L Gearbox oil", "98.00", "48", "A-01-3", "maintenance", "升"),
    ("SHK-F", "前减震器 Front shock absorber", "980.00", "4", "C-03-1", "general", "个"),
    ("WIN-MTR", "车窗升降器 Window regulator", "640.00", "2", "C-05-2", "general", "个"),
    ("DASHCAM", "行车记录仪 Dash camera", "599.00", "8", "D-01-1", "accessory", "个"),
    ("BULB-H7", "H7灯泡 Headlight bulb", "45.00", "50", "B-04-2", "wear", "个"),
)

TEAMS = (
    (
        "机修一组 Mechanical 1",
        "16",
        ("leader1", "tech1", "tech2"),
        "leader1",
        ("mechanical", "chassis"),
    ),
    ("电工组 Electrical", "16", ("leader2", "tech3"), "leader2", ("electrical", "mechanical")),
    ("钣喷组 Body & paint", "8", ("tech2",), None, ("body",)),
)


def sample_shop(name: str = "诚信汽车服务中心 Chengxin Auto Service Centre") -> dict[str, Staff]:
    """Staff (PIN 1234), teams and catalogues of a typical dealership; returns staff by login."""
    root = admin.bootstrap_admin(SAMPLE_STAFF[0][1], SAMPLE_STAFF[0][0], SAMPLE_PIN)
    staff = {"admin": root}
    for login, full_name, roles in SAMPLE_STAFF[1:]:
        staff[login] = admin.create_staff(
            root, full_name, login, SAMPLE_PIN, [r.value for r in roles], phone=""
        )
    admin.update_settings(
        root,
        name=name,
        address="上海市闵行区虹梅路 1888 号 1888 Hongmei Rd, Shanghai",
        phone="021-64001234",
    )
    for code, op_name, hours, skill, category in LABOUR_OPS:
        admin.save_labour_operation(root, code, op_name, hours, skill, category)
    for part_no, part_name, price, stock, bin_loc, category, unit in PARTS:
        admin.save_part(root, part_no, part_name, price, stock, bin_loc, category, unit)
    for team_name, cap, members, leader, skills in TEAMS:
        admin.save_team(
            root,
            team_name,
            cap,
            [staff[m].id for m in members],
            staff[leader].id if leader else None,
            list(skills),
        )
    certify_workshop(root, staff, clock.today() - dt.timedelta(days=3 * 365))
    return staff


#: The in-house training course the sample shop's workshop staff passed (rulebook 篇一).
SAMPLE_COURSE = "厂家技术培训 Manufacturer technical training"


def certify_workshop(root: Staff, staff: dict[str, Staff], certified_on: dt.date) -> None:
    """Every technician and team leader of the sample shop trained in every skill of its
    catalogue and teams (no expiry), so dispatch finds them certified; the demo then makes
    one certificate run out to show the check."""
    workshop_roles = {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}
    for login, _name, roles in SAMPLE_STAFF:
        if not workshop_roles & {r.value for r in roles}:
            continue
        for skill in certifications.known_skills():
            certifications.record_certification(
                root,
                staff[login],
                skill,
                certified_on,
                None,
                issued_by=SAMPLE_COURSE,
                note=f"CERT-{login.upper()}-{skill.upper()}",
            )


def sample_capacity() -> Decimal:
    return sum((Decimal(t[1]) for t in TEAMS), Decimal("0"))
