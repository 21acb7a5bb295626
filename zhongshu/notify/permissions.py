"""Who may read an inbox, switch the channels of a kind, and see and resend failed deliveries. Every check
goes through zhongshu.core.authz. A message belongs to its recipient: the inbox selectors filter on the
signed-in person, so no unit rule is needed."""

from __future__ import annotations

from zhongshu.core import authz
from zhongshu.core.authz import Scope
from zhongshu.org.choices import Role

INBOX_VIEW = authz.define("notify.inbox.view", "查看本人消息", {role.value: Scope.ALL for role in Role})
CHANNELS_MANAGE = authz.define(
    "notify.channels.manage",
    "设置消息推送渠道",
    {Role.ADMIN.value: Scope.ALL, Role.DIRECTOR.value: Scope.ALL},
)
FAILURES_MANAGE = authz.define("notify.failures.manage", "查看和重发推送失败的消息", {Role.ADMIN.value: Scope.ALL})
