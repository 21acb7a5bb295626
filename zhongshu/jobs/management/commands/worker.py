"""`zhongshu worker [--once] [--interval SECONDS]`: the background scheduler of every module's jobs."""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import CommandParser
from django.db import close_old_connections

from zhongshu.core import clock
from zhongshu.core.management.base import ZhongshuCommand
from zhongshu.jobs import scheduler
from zhongshu.jobs.registry import jobs

STATUS = {"done": "完成", "taken": "已由其他进程执行", "failed": "失败（已回滚，下一轮重试）"}


class Command(ZhongshuCommand):
    help = "运行后台任务（提醒、升级、统计等）。--once 执行一轮到期任务后退出。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="执行一轮到期任务后退出（用于测试和 cron）")
        parser.add_argument("--interval", type=float, default=30.0, help="两轮检查之间的秒数，默认 30")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        self.stopping = False
        if once:
            failed = self.run_round()
            if failed:
                raise SystemExit(1)
            return
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        names = "、".join(job.label for job in jobs().values())
        self.stdout.write(f"后台任务进程已启动（{scheduler.worker_name()}），共 {len(jobs())} 项任务：{names}")
        while not self.stopping:
            close_old_connections()
            self.run_round()
            slept = 0.0
            while slept < interval and not self.stopping:
                time.sleep(min(1.0, interval - slept))
                slept += 1.0
        self.stdout.write("后台任务进程已停止。")

    def stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run_round(self) -> int:
        failed = 0
        for outcome in scheduler.run_due(clock.now()):
            if outcome.status == "failed":
                failed += 1
            detail = f"：{outcome.summary}" if outcome.summary else ""
            line = f"{clock.localnow():%Y-%m-%d %H:%M:%S} {outcome.job} {STATUS[outcome.status]}{detail}"
            (self.stderr if outcome.status == "failed" else self.stdout).write(line)
        return failed
