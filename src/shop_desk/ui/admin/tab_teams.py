"""Admin tab "Teams": members, leader, capacity and skills of the workshop teams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import Staff, Team, TeamMember, TeamSkill
from shop_desk.roles import Role
from shop_desk.services import admin
from shop_desk.skills import skill_label, skills_text
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import (
    FormDialog,
    decimal_edit,
    join_list,
    roles_text,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

from shop_desk.ui.admin.common import TableTab, known_skills, skill_code


def team_rows() -> list[dict[str, Any]]:
    teams = list(Team.select().order_by(Team.name))
    members: dict[int, list[tuple[int, str, bool]]] = {}
    for m in TeamMember.select(TeamMember, Staff).join(Staff).order_by(Staff.name):
        members.setdefault(m.team_id, []).append((m.staff_id, m.staff.name, m.is_leader))
    skills: dict[int, list[str]] = {}
    for sk in TeamSkill.select().order_by(TeamSkill.skill):
        skills.setdefault(sk.team_id, []).append(sk.skill)
    rows = []
    for t in teams:
        ms = members.get(t.id, [])
        leader = next((m for m in ms if m[2]), None)
        rows.append(
            {
                "id": t.id,
                "name": t.name,
                "capacity": t.capacity_hours,
                "active": t.active,
                "member_ids": [m[0] for m in ms],
                "members_text": join_list(m[1] for m in ms),
                "leader_id": leader[0] if leader else None,
                "leader": leader[1] if leader else "",
                "skills": skills.get(t.id, []),
                "skills_text": skills_text(skills.get(t.id, [])),
            }
        )
    return rows


# --- teams ---------------------------------------------------------------------------------


class TeamDialog(FormDialog):
    """Team name, daily capacity, members with the leader, and skills (for dispatch)."""

    def __init__(
        self, actor: Staff, parent: QWidget | None = None, row: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            translate("AdminPages", "Edit team") if row else translate("AdminPages", "New team"),
            parent,
        )
        self.setObjectName("teamDialog")
        self.actor, self.row = actor, row
        self.name_edit = self.add_row("name", translate("AdminPages", "Team name"), QLineEdit())
        self.capacity_edit = self.add_row(
            "capacity_hours",
            translate("AdminPages", "Capacity (hours per day)"),
            decimal_edit(places=2, integer_digits=3),
        )
        self.members_list = self.add_row(
            "members", translate("AdminPages", "Members"), QListWidget()
        )
        self.members_list.setMinimumHeight(240)
        self.leader_combo = self.add_row(
            "leader", translate("AdminPages", "Team leader"), QComboBox()
        )
        skills_box = QWidget()
        skills_layout = QVBoxLayout(skills_box)
        skills_layout.setContentsMargins(0, 0, 0, 0)
        self.skills_list = QListWidget(skills_box)
        self.skills_list.setObjectName("skillsList")
        self.skills_list.setFixedHeight(self.skills_list.fontMetrics().height() * 5 + 8)
        add_row = QHBoxLayout()
        self.new_skill_edit = QLineEdit(skills_box)
        self.new_skill_edit.setObjectName("newSkillEdit")
        self.new_skill_edit.setPlaceholderText(translate("AdminPages", "Another skill"))
        add_button = QPushButton(translate("AdminPages", "Add"), skills_box)
        add_button.setAutoDefault(False)
        add_button.clicked.connect(self.add_skill)
        self.new_skill_edit.installEventFilter(self)  # Enter adds the skill, not "Save"
        add_row.addWidget(self.new_skill_edit)
        add_row.addWidget(add_button)
        skills_layout.addWidget(self.skills_list)
        skills_layout.addLayout(add_row)
        self.add_row("skills", translate("AdminPages", "Skills"), skills_box)
        chosen = set(row["member_ids"]) if row else set()
        for staff, roles in self._candidates():
            item = QListWidgetItem(f"{staff.name}  ({roles_text(roles)})")
            item.setData(Qt.ItemDataRole.UserRole, staff.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, staff.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if staff.id in chosen else Qt.CheckState.Unchecked
            )
            self.members_list.addItem(item)
        team_skills = set(row["skills"]) if row else set()
        for skill in sorted(set(known_skills()) | team_skills):
            self._skill_item(skill, skill in team_skills)
        self.members_list.itemChanged.connect(lambda _item: self._fill_leaders())
        if row:
            self.name_edit.setText(row["name"])
            self.capacity_edit.setText(format(row["capacity"], "f"))
        else:
            self.capacity_edit.setText("16")
        self._fill_leaders(row["leader_id"] if row else None)
        self.name_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    @staticmethod
    def _candidates() -> list[tuple[Staff, list[str]]]:
        from shop_desk.ui.shell.login import active_staff

        workshop = {
            Role.TECHNICIAN.value,
            Role.TEAM_LEADER.value,
            Role.WASHER.value,
            Role.INSPECTOR.value,
        }
        people = active_staff()
        return sorted(people, key=lambda p: (not (set(p[1]) & workshop), p[0].name))

    def _skill_item(self, skill: str, checked: bool) -> None:
        item = QListWidgetItem(skill_label(skill))
        item.setData(Qt.ItemDataRole.UserRole, skill)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.skills_list.addItem(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.new_skill_edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add_skill()
            return True
        return super().eventFilter(watched, event)

    def add_skill(self) -> None:
        skill = skill_code(self.new_skill_edit.text())
        if not skill:
            return
        existing = [
            self.skills_list.item(i)
            for i in range(self.skills_list.count())
            if self.skills_list.item(i).data(Qt.ItemDataRole.UserRole) == skill
        ]
        if existing:
            existing[0].setCheckState(Qt.CheckState.Checked)
        else:
            self._skill_item(skill, True)
        self.new_skill_edit.clear()

    def member_ids(self) -> list[int]:
        return [
            int(self.members_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.members_list.count())
            if self.members_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def skills(self) -> list[str]:
        return [
            self.skills_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.skills_list.count())
            if self.skills_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _fill_leaders(self, wanted: int | None = None) -> None:
        current = wanted if wanted is not None else self.leader_combo.currentData()
        self.leader_combo.blockSignals(True)
        self.leader_combo.clear()
        self.leader_combo.addItem(translate("AdminPages", "(no leader)"), None)
        for i in range(self.members_list.count()):
            item = self.members_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                self.leader_combo.addItem(
                    item.data(Qt.ItemDataRole.UserRole + 1), item.data(Qt.ItemDataRole.UserRole)
                )
        index = self.leader_combo.findData(current) if current is not None else 0
        self.leader_combo.setCurrentIndex(max(0, index))
        self.leader_combo.blockSignals(False)

    def submit(self) -> Team:
        return admin.save_team(
            self.actor,
            self.name_edit.text(),
            self.capacity_edit.text(),
            members=self.member_ids(),
            leader_id=self.leader_combo.currentData(),
            skills=self.skills(),
            team_id=self.row["id"] if self.row else None,
        )


class TeamsTab(TableTab):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Team"), lambda r: r["name"]),
                Column(lambda: translate("AdminPages", "Team leader"), lambda r: r["leader"]),
                Column(lambda: translate("AdminPages", "Members"), lambda r: r["members_text"]),
                Column(lambda: translate("AdminPages", "Skills"), lambda r: r["skills_text"]),
                Column(
                    lambda: translate("AdminPages", "Capacity (hours per day)"),
                    lambda r: r["capacity"],
                    align_right=True,
                ),
            ],
            is_dimmed=lambda r: not r["active"],
            stretch_column=2,
        )
        self.setObjectName("teamsTab")
        self.new_button = self.add_button(
            translate("AdminPages", "&New team…"), self.new, "newButton", admin.save_team
        )
        self.edit_button = self.add_button(
            translate("AdminPages", "&Edit…"),
            self.edit_selected,
            "editButton",
            admin.save_team,
            True,
        )
        self.refresh()

    def read(self) -> list[dict[str, Any]]:
        return team_rows()

    def new(self) -> TeamDialog:
        return self._open(TeamDialog(self.actor, self))

    def edit_selected(self) -> TeamDialog | None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return None
        return self._open(TeamDialog(self.actor, self, row))

    def _open(self, dialog: TeamDialog) -> TeamDialog:
        def done() -> None:
            team = dialog.result_value
            self.refresh()
            self.select_where(lambda r: r["id"] == team.id)
            text = translate("AdminPages", "Team {name} saved.").format(name=team.name)
            self.banner.show_info(text)
            self.status(text)

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
