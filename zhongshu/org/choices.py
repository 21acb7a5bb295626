from django.db import models


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", "区领导"
    OFFICE = "office", "区政府办公室"
    SECTION = "section", "办公室内设科室"
    DEPARTMENT = "department", "区政府部门"
    TOWN = "town", "镇"
    STREET = "street", "街道"
    PEER = "peer", "四大家办公室"
    UPPER = "upper", "上级机关"
    OTHER = "other", "其他单位"


class Role(models.TextChoices):
    """The roles of DESIGN.md §1; each is granted within a unit."""

    ADMIN = "admin", "系统管理员"
    LEADER = "leader", "区领导"
    DIRECTOR = "director", "办公室主任"
    SUPERVISOR = "supervisor", "督查员"
    SECRETARY = "secretary", "文秘"
    INFO_OFFICER = "info_officer", "信息员"
    DUTY_OFFICER = "duty_officer", "值班员"
    MEETING_OFFICER = "meeting_officer", "会务"
    ASSESSOR = "assessor", "考核员"
    LIAISON = "liaison", "部门联络员"


OFFICE_ROLES = frozenset(
    {
        Role.LEADER,
        Role.DIRECTOR,
        Role.SUPERVISOR,
        Role.SECRETARY,
        Role.INFO_OFFICER,
        Role.DUTY_OFFICER,
        Role.MEETING_OFFICER,
        Role.ASSESSOR,
    }
)
"""Roles that work for the whole district (as opposed to a liaison, who acts for one unit)."""
