"""Who may maintain the checker's dictionaries and use the checker. Every check goes through zhongshu.core.authz."""

from __future__ import annotations

from zhongshu.core import authz
from zhongshu.core.authz import Scope
from zhongshu.org.choices import Role

ALL_ROLES = {role.value: Scope.ALL for role in Role}
ADMIN = {Role.ADMIN.value: Scope.ALL}

DICTIONARY_MANAGE = authz.define("checking.dictionary.manage", "维护文字校核词典", ADMIN)
PROOFREAD_USE = authz.define("checking.proofread.use", "使用文字校核（检查文字、忽略提示）", ALL_ROLES)
STATS_REBUILD = authz.define("checking.stats.rebuild", "重建本单位用语统计", ADMIN)
