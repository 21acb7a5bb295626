# Zhongshu — two commands: `make demo` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint typecheck pytest lock bench clean-demo

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "中枢需要 Python 3.11 或更高版本(当前:$$($(PYTHON) --version 2>&1))。"; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "无法创建虚拟环境:请先安装 python3-venv(sudo apt-get install -y python3-venv)。"; exit 1; }

# Installs the pinned dependencies (hashes checked) and the project itself; re-runs only when the lock
# or pyproject.toml changes, so installing twice changes nothing.
$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/zhongshu init --demo --if-new
	@echo ""
	@echo "中枢已启动:http://127.0.0.1:8000"
	@echo "演示账号(密码均为 zhongshu-demo):admin 系统管理员 · quzhang 区长 · fuquzhang 副区长 · zhuren 办公室主任"
	@echo "  ducha 督查员 · wenmi 文秘 · xinxi 信息员 · zhiban 值班员 · huiwu 会务 · kaohe 考核员"
	@echo "  ll-jiaowei 区教委联络员 · ll-zhujian 区住房城乡建委联络员"
	@echo "后台任务进程与服务一同运行;按 Ctrl+C 停止。"
	$(BIN)/zhongshu worker --interval 60 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/zhongshu serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy zhongshu tests

pytest: install
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=zhongshu.settings.test
	$(BIN)/pytest -n 2 --dist loadgroup -q

test: lint typecheck pytest

# Refresh requirements.lock from requirements.in (needs network to the package index).
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in -o requirements.lock --generate-hashes --universal --python-version 3.11

bench: install
	$(BIN)/python bench/run.py
