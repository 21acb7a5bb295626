"""Units, people and their roles: who the office works with and who may do what."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse

from zhongshu.core import clock

from .choices import Role, UnitKind


class Unit(models.Model):
    """A unit of the district: the leadership, the office and its sections, a department, a town or street,
    a peer office of the four major bodies, or a body above. Units are never deleted: a renamed unit keeps
    its former names (UnitName), a merged or abolished one becomes inactive and cannot receive new work."""

    code = models.SlugField("单位代码", max_length=40, unique=True)
    full_name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=40)
    kind = models.CharField("类别", max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    display_order = models.PositiveIntegerField("排序号", default=0)
    active = models.BooleanField("启用", default=True)
    leader_in_charge = models.ForeignKey(
        "Person",
        verbose_name="分管区领导",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="units_in_charge",
        help_text="分管该单位的区领导：催办通知书抄送此人。",
    )
    merged_into = models.ForeignKey(
        "self", verbose_name="并入单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=clock.now, editable=False)
    updated_at = models.DateTimeField("更新时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["display_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["full_name"], condition=models.Q(active=True), name="org_unit_active_full_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("org:unit_detail", args=[self.pk])


class UnitName(models.Model):
    """A former name of a unit, kept when the unit is renamed, so old records read as they were written."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="former_names")
    full_name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=40)
    used_until = models.DateField("使用至")

    class Meta:
        verbose_name = "单位曾用名"
        verbose_name_plural = "单位曾用名"
        ordering = ["unit", "-used_until", "-id"]

    def __str__(self) -> str:
        return f"{self.full_name}（至{self.used_until:%Y-%m-%d}）"


class PersonManager(UserManager["Person"]):
    """Django's user manager, typed for Person (createsuperuser and friends)."""


class Person(AbstractUser):
    """An account: a leader, a member of the office or a department liaison. Roles come from RoleGrant."""

    name = models.CharField("姓名", max_length=40)
    title = models.CharField("职务", max_length=60, blank=True)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people")
    phone = models.CharField("电话", max_length=40, blank=True)
    display_order = models.PositiveIntegerField("排序号", default=0)

    objects = PersonManager()  # type: ignore[misc]  # django-stubs: manager generic on the user model

    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["unit__display_order", "display_order", "id"]

    def __str__(self) -> str:
        return self.name or self.username

    def get_absolute_url(self) -> str:
        return reverse("org:person_detail", args=[self.pk])

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name or self.username


class RoleGrant(models.Model):
    """A role held by a person within a unit (a liaison of 区教委 acts for 区教委 only)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name="授权单位", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("授权时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        ordering = ["person", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "unit"], name="org_rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()} · {self.unit.short_name}"


class Delegation(models.Model):
    """A deputy (usually a secretary) who may record decisions on a leader's behalf: shown as "X 代 Y"."""

    principal = models.ForeignKey(Person, verbose_name="被代理人", on_delete=models.CASCADE, related_name="+")
    deputy = models.ForeignKey(Person, verbose_name="代理人", on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField("有效", default=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("设立时间", default=clock.now, editable=False)

    class Meta:
        verbose_name = "代理关系"
        verbose_name_plural = "代理关系"
        constraints = [
            models.UniqueConstraint(fields=["principal", "deputy"], name="org_delegation_unique"),
            models.CheckConstraint(condition=~models.Q(principal=models.F("deputy")), name="org_delegation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} 代 {self.principal}"
