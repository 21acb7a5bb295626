"""The `zhongshu` commands: the base class's one-line errors, init, serve and createadmin."""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError

from zhongshu import cli
from zhongshu.audit.models import Event
from zhongshu.core.exceptions import ApplicationError
from zhongshu.core.management.base import ZhongshuCommand
from zhongshu.core.management.commands import init as init_command
from zhongshu.core.management.commands import serve as serve_command
from zhongshu.org.choices import Role, UnitKind
from zhongshu.org.models import Person, RoleGrant, Unit
from zhongshu.org.tests.factories import UnitFactory

STRONG_PASSWORD = "Qiang-mima-2027!"


@pytest.fixture(autouse=True)
def keep_test_connection(monkeypatch):
    """Commands run from the command line close the connections at the end; the test's must stay open."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """Run `zhongshu <argv>` in this process; (exit code, stdout, stderr)."""
    try:
        cli.main(list(argv))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a fresh installation in `data_dir` (SQLite, base settings, nothing inherited)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ZHONGSHU_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(ZHONGSHU_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="zhongshu.settings.base")
    env.update(extra)
    return env


def zhongshu(*argv: str, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 — the test's own interpreter
        [sys.executable, "-m", "zhongshu.cli", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# The base class --------------------------------------------------------------------------------------


def parse_day(value: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-\d{2}", value):
        raise argparse.ArgumentTypeError(f"日期“{value}”无效")
    return value


class ProbeCommand(ZhongshuCommand):
    help = "测试用命令"

    def add_arguments(self, parser):
        parser.add_argument("outcome", choices=["ok", "refused", "bad-input", "rule", "database-down"])
        parser.add_argument("--count", type=int, default=1)
        parser.add_argument("--day", type=parse_day)

    def handle(self, *args: Any, outcome: str, **options: Any) -> None:
        if outcome == "refused":
            raise CommandError("数据库中已有数据，\n未作任何改动。")
        if outcome == "bad-input":
            raise CommandError("日期“2026-13-01”无效：应为 YYYY-MM-DD。", returncode=2)
        if outcome == "rule":
            raise ApplicationError("单位已停用，不能接收新的工作。")
        if outcome == "database-down":
            raise OperationalError('connection to server at "db" failed: Connection refused')
        self.stdout.write("完成")


def run_probe(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        ProbeCommand().run_from_argv(["zhongshu", "probe", *argv])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_command_error_prints_one_chinese_line_without_prefix_and_exits_1(capsys):
    code, out, err = run_probe(capsys, "refused")

    assert (code, out, err) == (1, "", "数据库中已有数据， 未作任何改动。\n")


def test_command_error_exit_code_comes_from_returncode(capsys):
    code, _out, err = run_probe(capsys, "bad-input")

    assert (code, err) == (2, "日期“2026-13-01”无效：应为 YYYY-MM-DD。\n")


def test_application_error_from_a_service_prints_its_message_and_exits_1(capsys):
    code, _out, err = run_probe(capsys, "rule")

    assert (code, err) == (1, "单位已停用，不能接收新的工作。\n")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "参数错误：缺少参数：outcome（用法见 zhongshu probe --help）\n"),
        (("ok", "--bogus"), "参数错误：无法识别的参数：--bogus（用法见 zhongshu probe --help）\n"),
        (("ok", "--count", "x"), "参数错误：参数 --count 的值无效：'x'（用法见 zhongshu probe --help）\n"),
        (
            ("ok", "--day", "2026-13-01"),
            "参数错误：参数 --day：日期“2026-13-01”无效（用法见 zhongshu probe --help）\n",
        ),
    ],
)
def test_bad_arguments_print_one_chinese_line_and_exit_2(capsys, argv, message):
    code, out, err = run_probe(capsys, *argv)

    assert (code, out, err) == (2, "", message)


def test_database_error_prints_one_line_with_a_hint_instead_of_a_traceback(capsys):
    code, _out, err = run_probe(capsys, "database-down")

    assert code == 1
    assert err == (
        '数据库错误：connection to server at "db" failed: Connection refused'
        "（检查 DATABASE_URL 和数据库服务；加 --traceback 查看详情）\n"
    )


def test_traceback_option_lets_the_error_through(capsys):
    with pytest.raises(CommandError, match="数据库中已有数据"):
        ProbeCommand().run_from_argv(["zhongshu", "probe", "refused", "--traceback"])


def test_successful_command_exits_0(capsys):
    assert run_probe(capsys, "ok") == (0, "完成\n", "")


def test_call_command_still_raises_command_error():
    with pytest.raises(CommandError, match="数据库中已有数据"):
        call_command(ProbeCommand(), "refused")


def test_version_names_zhongshu_and_django(capsys):
    code, out, _err = run_cli(capsys, "--version")

    assert code == 0
    assert out.startswith("中枢 ")
    assert "Django 5.2" in out


# init ------------------------------------------------------------------------------------------------


@pytest.fixture
def data_dir(settings, tmp_path):
    """A data directory of its own for the test (static files and attachments land there)."""
    settings.DATA_DIR = tmp_path / "var"
    settings.STATIC_ROOT = tmp_path / "var" / "static"
    settings.MEDIA_ROOT = tmp_path / "var" / "media"
    return tmp_path / "var"


@pytest.fixture
def fake_demo(monkeypatch):
    """Replaces the demo loader with one that adds a unit and a demo account, and records its calls."""
    calls: list[int] = []

    def load() -> dict[str, int]:
        calls.append(1)
        unit = UnitFactory(code="jiaowei", full_name="示范区教育委员会", short_name="区教委")
        Person.objects.create_user(username="ll-jiaowei", password="zhongshu-demo", name="联络员", unit=unit)
        return {"units": 1, "people": 1}

    monkeypatch.setattr(init_command, "load_demo", load)
    return calls


@pytest.mark.django_db
def test_init_creates_data_dir_migrates_collects_static_and_creates_no_accounts(capsys, data_dir):
    code, out, err = run_cli(capsys, "init")

    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"数据目录：{data_dir}"
    assert "结构已是最新" in out  # the test database is migrated already
    assert f"静态文件：已收集到 {data_dir / 'static'}" in out
    assert (data_dir / "static" / "css" / "zhongshu.css").is_file()
    assert (data_dir / "media").is_dir()
    assert Person.objects.count() == 0
    assert Unit.objects.count() == 0


@pytest.mark.django_db
def test_init_demo_loads_the_demo_district_into_a_new_database(capsys, data_dir, fake_demo):
    code, out, _err = run_cli(capsys, "init", "--demo")

    assert code == 0
    assert fake_demo == [1]
    assert "演示数据：已载入示范区（单位 1、人员 1）。" in out
    assert list(Person.objects.values_list("username", flat=True)) == ["ll-jiaowei"]


@pytest.mark.django_db
def test_init_demo_refuses_a_database_with_units_and_changes_nothing(capsys, data_dir, fake_demo):
    UnitFactory(code="zfb", kind=UnitKind.OFFICE)

    code, out, err = run_cli(capsys, "init", "--demo")

    assert code == 1
    assert len(err.splitlines()) == 1
    assert err.startswith("数据库中已有数据，演示数据只能载入新数据库，未作任何改动。")
    assert fake_demo == []
    assert Person.objects.count() == 0
    assert not (data_dir / "static").exists()


@pytest.mark.django_db
def test_init_demo_if_new_migrates_an_existing_database_and_leaves_it_as_is(capsys, data_dir, fake_demo):
    UnitFactory(code="zfb", kind=UnitKind.OFFICE)

    code, out, err = run_cli(capsys, "init", "--demo", "--if-new")

    assert (code, err) == (0, "")
    assert "演示数据：数据库中已有数据，保持原样，未重复载入。" in out
    assert fake_demo == []
    assert Person.objects.count() == 0
    assert Unit.objects.count() == 1


@pytest.mark.django_db
def test_init_loads_the_demo_through_each_module_in_order(monkeypatch):
    import types

    calls = []
    for name, counts in (("zhongshu.tests_fake.org_demo", {"units": 52}), ("zhongshu.tests_fake.later", {"x": 1})):
        module = types.ModuleType(name)
        module.load_demo = lambda counts=counts, name=name: calls.append(name) or counts
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.setattr(init_command, "DEMO_MODULES", ("zhongshu.tests_fake.org_demo", "zhongshu.tests_fake.later"))

    assert init_command.load_demo() == {"units": 52, "x": 1}
    assert calls == ["zhongshu.tests_fake.org_demo", "zhongshu.tests_fake.later"]


# serve -----------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_server_options_bind_workers_access_log_and_graceful_timeout():
    options = serve_command.server_options(host="127.0.0.1", port=8000, workers=2, threads=4)

    assert options["bind"] == ["127.0.0.1:8000"]
    assert options["workers"] == 2
    assert options["worker_class"] == "gthread"
    assert options["accesslog"] == "-"
    assert options["graceful_timeout"] == 30
    assert serve_command.server_options(host="::1", port=8100, workers=1, threads=1)["bind"] == ["[::1]:8100"]


def test_server_loads_zhongshus_wsgi_application():
    from zhongshu.wsgi import application

    server = serve_command.ZhongshuServer(serve_command.server_options(host="127.0.0.1", port=1, workers=3, threads=1))

    assert server.load() is application
    assert server.cfg.workers == 3
    assert server.cfg.accesslog == "-"


@pytest.mark.django_db
def test_serve_defaults_to_localhost_8000_with_two_workers(monkeypatch, capsys):
    started: list[dict[str, Any]] = []
    monkeypatch.setattr(serve_command, "_port_free", lambda host, port: True)
    monkeypatch.setattr(serve_command.ZhongshuServer, "run", lambda server: started.append(server.options))

    code, out, _err = run_cli(capsys, "serve")

    assert code == 0
    assert [(o["bind"], o["workers"]) for o in started] == [(["127.0.0.1:8000"], 2)]
    assert out == "中枢服务启动：http://127.0.0.1:8000/（2 个工作进程 × 4 个线程）\n"


@pytest.mark.django_db
def test_serve_refuses_a_port_in_use(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        code, _out, err = run_cli(capsys, "serve", "--port", str(port))

    assert code == 1
    assert err == f"端口 {port} 已被占用：请用 --port 换一个端口，或先停止占用它的程序。\n"


def test_serve_refuses_an_unmigrated_database_then_serves_what_init_prepared(tmp_path):
    """End to end with the production static storage: `zhongshu serve` on a new data directory refuses,
    `zhongshu init` prepares it, then `zhongshu serve` answers the login page and its hashed static files."""
    env = clean_env(tmp_path / "var")
    port = free_port()

    refused = zhongshu("serve", "--port", str(port), env=env)
    init = zhongshu("init", env=env)
    server = subprocess.Popen(  # noqa: S603 — the test's own interpreter
        [sys.executable, "-m", "zhongshu.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        login = fetch(f"http://127.0.0.1:{port}/login/", until=time.monotonic() + 60)
        css = next(part.split('"')[0] for part in login.split('href="')[1:] if ".css" in part.split('"')[0])
        stylesheet = urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5)  # noqa: S310 — local
    finally:
        server.terminate()
        out, _err = server.communicate(timeout=60)

    assert (refused.returncode, refused.stdout) == (1, "")
    assert len(refused.stderr.splitlines()) == 1
    assert refused.stderr.startswith("数据库尚未初始化或需要升级（有 ")
    assert refused.stderr.endswith("个迁移未执行）：请先运行 zhongshu init。\n")
    assert init.returncode == 0, init.stderr
    assert "登录" in login
    assert re.fullmatch(r"/static/css/zhongshu\.[0-9a-f]{12}\.css", css)  # the manifest's hashed name
    assert stylesheet.status == 200
    assert out.startswith(f"中枢服务启动：http://127.0.0.1:{port}/")
    assert '"GET /login/ HTTP/1.1" 200' in out  # access log on stdout
    assert server.returncode == 0  # graceful stop on SIGTERM


def fetch(url: str, *, until: float) -> str:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — local test server
                return str(response.read().decode())
        except OSError:
            if time.monotonic() > until:
                raise
            time.sleep(0.1)


# createadmin -----------------------------------------------------------------------------------------


@pytest.fixture
def admin_env(monkeypatch):
    monkeypatch.setenv("ZHONGSHU_ADMIN_PASSWORD", STRONG_PASSWORD)


@pytest.mark.django_db
def test_createadmin_creates_an_administrator_in_the_office(capsys, office, admin_env):
    code, out, err = run_cli(capsys, "createadmin", "--username", "wang", "--name", "王管理")

    assert (code, err) == (0, "")
    assert out == "已创建系统管理员 wang（王管理，示范区人民政府办公室）。\n"
    person = Person.objects.get(username="wang")
    assert (person.name, person.unit, person.is_active) == ("王管理", office, True)
    assert person.check_password(STRONG_PASSWORD)
    assert list(RoleGrant.objects.values_list("person__username", "role", "unit")) == [("wang", Role.ADMIN, office.pk)]
    assert list(Event.objects.order_by("seq").values_list("verb", "actor_id", "actor_name")) == [
        ("org.person.created", None, "命令行（createadmin）"),
        ("org.role.granted", None, "命令行（createadmin）"),
    ]


@pytest.mark.django_db
def test_createadmin_without_units_creates_the_unit_system_administration(capsys, admin_env):
    code, _out, _err = run_cli(capsys, "createadmin")

    assert code == 0
    admin = Person.objects.get(username="admin")
    assert (admin.name, admin.unit.code, admin.unit.full_name) == ("系统管理员", "sysadmin", "系统管理")
    assert admin.grants.get().role == Role.ADMIN
    assert Event.objects.filter(verb="org.unit.created").count() == 1


@pytest.mark.django_db
def test_createadmin_in_a_given_unit(capsys, office, admin_env):
    unit = UnitFactory(code="jiaowei", full_name="示范区教育委员会")

    code, _out, _err = run_cli(capsys, "createadmin", "--unit", "jiaowei")

    assert code == 0
    assert Person.objects.get(username="admin").unit == unit


@pytest.mark.parametrize(
    ("argv", "password", "message"),
    [
        (("--unit", "nowhere"), STRONG_PASSWORD, "单位代码“nowhere”不存在"),
        ((), "short", "环境变量 ZHONGSHU_ADMIN_PASSWORD 中的密码不符合要求："),
        ((), "1234567890123", "密码只包含数字"),
        ((), None, "非交互方式运行时，请通过环境变量 ZHONGSHU_ADMIN_PASSWORD 提供管理员密码。"),
        (("--username", "ad"), STRONG_PASSWORD, "未创建管理员：用户名：账号只能由小写字母"),
    ],
)
@pytest.mark.django_db
def test_createadmin_refuses_bad_input_and_writes_nothing(capsys, monkeypatch, office, argv, password, message):
    if password is None:
        monkeypatch.delenv("ZHONGSHU_ADMIN_PASSWORD", raising=False)
    else:
        monkeypatch.setenv("ZHONGSHU_ADMIN_PASSWORD", password)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)

    code, out, err = run_cli(capsys, "createadmin", *argv)

    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert message in err
    assert Person.objects.count() == 0
    assert Unit.objects.count() == 1
    assert Event.objects.count() == 0


@pytest.mark.django_db
def test_createadmin_refuses_an_existing_username(capsys, office, admin_env, make_person):
    make_person(Role.SECRETARY, unit=office, username="admin")

    code, _out, err = run_cli(capsys, "createadmin")

    assert (code, err) == (1, "用户名“admin”已存在，请用 --username 换一个。\n")
    assert RoleGrant.objects.filter(role=Role.ADMIN).count() == 0


@pytest.mark.django_db
def test_createadmin_on_a_terminal_asks_the_password_twice(capsys, monkeypatch, office):
    monkeypatch.delenv("ZHONGSHU_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    answers = iter(["short", STRONG_PASSWORD, "typo-" + STRONG_PASSWORD, STRONG_PASSWORD, STRONG_PASSWORD])
    prompts: list[str] = []

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", fake_getpass)

    code, _out, err = run_cli(capsys, "createadmin")

    assert code == 0
    assert prompts == [
        "admin 的密码：",
        "admin 的密码：",
        "再输入一次密码：",
        "admin 的密码：",
        "再输入一次密码：",
    ]
    assert "10" in err.splitlines()[0]  # the minimum length
    assert err.splitlines()[1] == "两次输入的密码不一致。"
    assert Person.objects.get(username="admin").check_password(STRONG_PASSWORD)
