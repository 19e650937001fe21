"""Role labels follow the interface language, also when it changes while the program runs,
and role lists keep the order of the Role enum."""

from __future__ import annotations

import pytest

from shop_desk import i18n
from shop_desk.roles import Role, is_role, role_label, role_order


def test_role_labels_follow_the_language_each_time_it_changes(qapp):
    try:
        for _ in range(2):  # the labels of each language are kept: switching back uses them
            assert i18n.install_language("zh_CN") == "zh_CN"
            assert role_label(Role.ADVISOR) == role_label("advisor") == "服务顾问"
            assert i18n.install_language("en") == "en"
            assert role_label(Role.ADVISOR) == role_label("advisor") == "Service advisor"
    finally:
        i18n.install_language("en")


def test_every_role_has_its_own_label_and_an_unknown_code_is_refused(qapp):
    labels = [role_label(r) for r in Role]
    assert len(set(labels)) == len(Role) and all(labels)
    with pytest.raises(ValueError):
        role_label("pilot")


def test_role_lists_keep_the_enum_order_unknown_codes_last():
    assert role_order(["admin", "pilot", "advisor", "washer"]) == [
        "advisor",
        "washer",
        "admin",
        "pilot",
    ]
    assert is_role("washer") and not is_role("pilot")
