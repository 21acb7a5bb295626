"""`zhongshu createadmin [--username U] [--name N] [--unit CODE]`: open an administrator's account.

Interactive on a terminal (the password is asked twice); otherwise the password comes from the environment
variable ZHONGSHU_ADMIN_PASSWORD. The account gets the role 系统管理员 in the given unit, by default the
government office, or a unit "系统管理" created for the purpose when the district has no units yet. It goes
through the org services like any other change, with the operator at the command line as the actor.
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import translation

from zhongshu.core import authz
from zhongshu.core.exceptions import ValidationFailed
from zhongshu.core.management.base import CommandError, ZhongshuCommand
from zhongshu.org import selectors, services
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, Unit

PASSWORD_ENV = "ZHONGSHU_ADMIN_PASSWORD"  # noqa: S105 — the name of the variable, not a password
FALLBACK_UNIT_CODE = "sysadmin"
FALLBACK_UNIT_NAME = "系统管理"
FIELD_LABELS = {
    "username": "用户名",
    "name": "姓名",
    "unit_id": "单位",
    "password": "密码",
    "code": "单位代码",
    "role": "角色",
}
PROMPT_ATTEMPTS = 3


def command_actor(command: str) -> Any:
    """The operator at the server's command line: whoever may run `zhongshu` on the server already owns
    the installation. Not an account (no row, no login); the trail records "命令行(<command>)"."""
    return authz.system_actor(f"命令行（{command}）")


def password_problems(password: str, *, username: str, name: str) -> list[str]:
    """Django's password validators, in Chinese."""
    with translation.override("zh-hans"):
        try:
            validate_password(password, user=Person(username=username, name=name))
        except ValidationError as exc:
            return [str(message) for message in exc.messages]
    return []


def describe_errors(exc: ValidationFailed) -> str:
    return ";".join(
        f"{FIELD_LABELS.get(field, field)}：{' '.join(messages)}" if field != "__all__" else " ".join(messages)
        for field, messages in exc.field_errors().items()
    )


class Command(ZhongshuCommand):
    help = f"创建系统管理员账号。在终端中运行时交互输入两次密码；非交互运行时从环境变量 {PASSWORD_ENV} 读取密码。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="登录用户名，默认 admin")
        parser.add_argument("--name", default="系统管理员", help="姓名，默认“系统管理员”")
        parser.add_argument(
            "--unit",
            metavar="CODE",
            help="所在单位的代码；默认为区政府办公室，尚无单位时新建“系统管理”单位",
        )

    def handle(self, *args: Any, username: str, name: str, unit: str | None, **options: Any) -> None:
        actor = command_actor("createadmin")
        username = username.strip()
        if selectors.people_visible_to(actor).filter(username__iexact=username).exists():
            raise CommandError(f"用户名“{username}”已存在，请用 --username 换一个。")
        target_unit = self.find_unit(actor, unit)
        password = self.read_password(username=username, name=name)
        try:
            with transaction.atomic():
                if target_unit is None:
                    target_unit = services.unit_create(
                        actor=actor,
                        code=FALLBACK_UNIT_CODE,
                        full_name=FALLBACK_UNIT_NAME,
                        short_name=FALLBACK_UNIT_NAME,
                        kind=UnitKind.OTHER,
                    )
                person = services.person_create(
                    actor=actor,
                    username=username,
                    name=name,
                    unit_id=target_unit.pk,
                    title="系统管理员",
                    password=password,
                )
                services.role_grant(actor=actor, person_id=person.pk, role=Role.ADMIN, unit_id=target_unit.pk)
        except ValidationFailed as exc:
            raise CommandError(f"未创建管理员：{describe_errors(exc)}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"已创建系统管理员 {person.username}（{person.name}，{target_unit.full_name}）。")
        )

    def find_unit(self, actor: Person, code: str | None) -> Unit | None:
        """The unit named by --unit, else the government office; None means "create 系统管理"."""
        if code:
            found = selectors.unit_by_code(code.strip())
            if found is None:
                raise CommandError(f"单位代码“{code}”不存在：请先创建该单位，或不加 --unit 使用默认单位。")
            if not found.active:
                raise CommandError(f"单位“{found.full_name}”已停用，不能在其中创建账号。")
            return found
        units = selectors.units_visible_to(actor).filter(active=True)
        return units.filter(kind=UnitKind.OFFICE).first() or units.filter(code=FALLBACK_UNIT_CODE).first()

    def read_password(self, *, username: str, name: str) -> str:
        password = os.environ.get(PASSWORD_ENV)
        if password:
            problems = password_problems(password, username=username, name=name)
            if problems:
                raise CommandError(f"环境变量 {PASSWORD_ENV} 中的密码不符合要求：{' '.join(problems)}")
            return password
        if not sys.stdin.isatty():
            raise CommandError(f"非交互方式运行时，请通过环境变量 {PASSWORD_ENV} 提供管理员密码。")
        for _ in range(PROMPT_ATTEMPTS):
            password = getpass.getpass(f"{username} 的密码：")
            problems = password_problems(password, username=username, name=name)
            if problems:
                self.stderr.write(" ".join(problems))
                continue
            if getpass.getpass("再输入一次密码：") != password:
                self.stderr.write("两次输入的密码不一致。")
                continue
            return password
        raise CommandError("密码输入失败次数过多，未创建管理员。")
