"""Who may look at the background jobs."""

from zhongshu.core import authz
from zhongshu.core.authz import Scope
from zhongshu.org.choices import Role

JOBS_VIEW = authz.define("jobs.view", "查看后台任务", {Role.ADMIN.value: Scope.ALL})
