"""Skills of jobs, teams and certifications in words.

One module for the screens, the services' refusals and the printed forms; it loads nothing
but the translation helpers, so the windows shown before the models may use it too."""

from __future__ import annotations

from collections.abc import Iterable

from shop_desk.i18n import join_list, translate


def skill_label(code: str) -> str:
    """A standard skill by its name (admin pages, the board, dispatch); a skill the shop added
    shows its code as typed."""
    return {
        "mechanical": translate("AdminPages", "Mechanical"),
        "electrical": translate("AdminPages", "Electrical"),
        "chassis": translate("AdminPages", "Chassis"),
        "body": translate("AdminPages", "Body and paint"),
    }.get(code, code)


def skills_text(codes: Iterable[str]) -> str:
    """Several skills in running text ("Mechanical, Electrical" / "机修、电工")."""
    return join_list(skill_label(code) for code in codes)
