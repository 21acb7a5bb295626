"""Who may read the whole audit trail and run its verification. Every check goes through zhongshu.core.authz.

The timeline of one object is governed by the object's own view permission (see `timelines`)."""

from __future__ import annotations

from zhongshu.core import authz
from zhongshu.core.authz import Scope
from zhongshu.org.choices import Role

VIEW_ALL = authz.define("audit.view_all", "查看留痕日志", {Role.ADMIN.value: Scope.ALL, Role.DIRECTOR.value: Scope.ALL})
VERIFY = authz.define("audit.verify", "校验留痕完整性", {Role.ADMIN.value: Scope.ALL})
