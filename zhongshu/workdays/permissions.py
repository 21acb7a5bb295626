"""Who may see and change the working-day calendar. Every check goes through zhongshu.core.authz."""

from __future__ import annotations

from zhongshu.core import authz
from zhongshu.core.authz import Scope
from zhongshu.org.choices import Role

WORKDAYS_VIEW = authz.define("workdays.view", "查看工作日历", {role.value: Scope.ALL for role in Role})
WORKDAYS_MANAGE = authz.define("workdays.manage", "管理工作日历", {Role.ADMIN.value: Scope.ALL})
