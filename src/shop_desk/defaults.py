"""The rows a brand-new shop database gets by itself (its settings row and the warranty
policies), written when the schema is created (:func:`shop_desk.migrations.create_fresh`)."""

from __future__ import annotations

import peewee

from shop_desk.models import ShopSettings, WarrantyPolicy

#: PROCESS.md's defaults: new-car warranty 3 years / 60,000 km (China's minimum for household
#: cars), parts and labour the shop fitted 1 year, accessories 3 months, wear parts excluded.
#: A new shop's warranty policies, named in both languages like the rest of the shop's data
#: (they are data the shop may rename, so they are not translated on screen).
DEFAULT_POLICIES = (
    ("新车质保 New-car warranty", "general", "vehicle", 3 * 365, 60000, False),
    ("车身及漆面 Body and paint", "body", "vehicle", 3 * 365, 60000, False),
    (
        "本店安装的零件和工时 Shop-fitted parts and labour",
        "shop_fitted",
        "fitted",
        365,
        None,
        False,
    ),
    ("精品附件 Accessories", "accessory", "fitted", 90, None, False),
    ("易损件 Wear parts", "wear", "vehicle", None, None, True),
    ("常规保养 Routine maintenance", "maintenance", "vehicle", None, None, True),
)


def seed_defaults(db: peewee.Database | None = None) -> None:
    """Settings row and warranty policies for a brand-new database (idempotent)."""
    if not ShopSettings.select().exists():
        ShopSettings.create(name="")
    if not WarrantyPolicy.select().exists():
        for name, category, basis, days, km, excluded in DEFAULT_POLICIES:
            WarrantyPolicy.create(
                name=name, category=category, basis=basis, days=days, km=km, excluded=excluded
            )
