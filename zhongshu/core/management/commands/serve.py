"""`zhongshu serve [--host H] [--port P] [--workers N] [--threads T]`: the production web server.

Gunicorn, embedded, serving `zhongshu.wsgi:application`; static files are served by the application itself
(whitenoise). Several servers may run against one PostgreSQL behind a reverse proxy (docs/operations.md).
Refuses to start on a database that `zhongshu init` has not brought up to date.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.management.base import CommandParser
from django.db import DatabaseError, connections
from gunicorn.app.base import BaseApplication

from zhongshu.core.management.base import CommandError, ZhongshuCommand, pending_migrations

ACCESS_LOG_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def server_options(*, host: str, port: int, workers: int, threads: int) -> dict[str, Any]:
    """Gunicorn's settings for Zhongshu: access log to stdout, graceful restarts, proxy headers trusted
    only from ZHONGSHU_FORWARDED_ALLOW_IPS (default: the reverse proxy on the same machine)."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "timeout": int(os.environ.get("ZHONGSHU_REQUEST_TIMEOUT", "120")),
        "graceful_timeout": 30,
        "keepalive": 5,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "forwarded_allow_ips": os.environ.get("ZHONGSHU_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        "proc_name": "zhongshu",
        # Several servers may share a machine: no control socket in the home directory (gunicorn >= 25).
        "control_socket_disable": True,
    }


class ZhongshuServer(BaseApplication):
    """Gunicorn configured from a dict instead of its own command line."""

    def __init__(self, options: dict[str, Any], application: Callable[..., Any] | None = None) -> None:
        self.options = options
        self.application = application
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings of newer gunicorn versions are skipped by older ones
                self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        if self.application is not None:
            return self.application
        from zhongshu.wsgi import application

        return application


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise CommandError(f"无法在 {host}:{port} 上监听：{exc.strerror}。") from exc
    return True


class Command(ZhongshuCommand):
    help = "启动中枢服务（gunicorn，静态文件由应用自身提供）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
        parser.add_argument("--workers", type=int, default=2, help="工作进程数，默认 2")
        parser.add_argument("--threads", type=int, default=4, help="每个工作进程的线程数，默认 4")

    def handle(self, *args: Any, host: str, port: int, workers: int, threads: int, **options: Any) -> None:
        if not 0 < port < 65536:
            raise CommandError(f"端口 {port} 无效：应在 1–65535 之间。", returncode=2)
        if workers < 1 or threads < 1:
            raise CommandError("--workers 和 --threads 至少为 1。", returncode=2)
        self.check_ready()
        if not _port_free(host, port):
            raise CommandError(f"端口 {port} 已被占用：请用 --port 换一个端口，或先停止占用它的程序。")
        connections.close_all()  # each worker opens its own connections
        self.stdout.write(f"中枢服务启动：http://{host}:{port}/（{workers} 个工作进程 × {threads} 个线程）")
        self.stdout.flush()
        ZhongshuServer(server_options(host=host, port=port, workers=workers, threads=threads)).run()

    def check_ready(self) -> None:
        """Refuse to serve a database that is not migrated, or pages whose static files are missing."""
        try:
            pending = pending_migrations()
        except DatabaseError as exc:
            raise CommandError(f"无法连接数据库：{exc}。请检查 DATABASE_URL，或先运行 zhongshu init。") from exc
        if pending:
            raise CommandError(
                f"数据库尚未初始化或需要升级（有 {len(pending)} 个迁移未执行）：请先运行 zhongshu init。"
            )
        if isinstance(staticfiles_storage, ManifestFilesMixin) and not settings.DEBUG:
            with contextlib.suppress(ValueError):
                if staticfiles_storage.exists(staticfiles_storage.manifest_name):
                    return
            raise CommandError("静态文件尚未收集：请先运行 zhongshu init。")
