"""The architecture's promises, checked by reading the source (no database, no Django request).

(a) time is read only through zhongshu.core.clock; (b) pure cores import no Django; (c) apps talk to each
other through services, selectors, permissions, choices and models, never another app's views, forms or API;
(d) nothing a page loads refers to a host on the internet; (e) every app's migrations are linear.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "zhongshu"


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def source_files(*, skip_tests: bool = True) -> list[Path]:
    """Every Python module of the product, without migrations (and, by default, without tests)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts or (skip_tests and "tests" in parts):
            continue
        found.append(path)
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of a module, relative imports resolved; `from x import y`
    yields both x and x.y, because y may be a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found.extend((node.lineno, f"{module}.{alias.name}") for alias in node.names if alias.name != "*")
    return found


# (a) One way to read the time -------------------------------------------------------------------------

FORBIDDEN_TIME = re.compile(
    r"\btimezone\.now\(|\bdatetime\.now\(|\bdatetime\.utcnow\(|\bdatetime\.today\(|\bdate\.today\("
    r"|\btime\.time\(\)|\btimezone\.localtime\(\)|\btimezone\.localdate\(\)|\bauto_now(_add)?\s*="
)
CLOCK = PACKAGE / "core" / "clock.py"
# The standalone text checker runs outside an installation (no settings, no pinned clock) and reads the
# machine's date once per run to decide which 规范表述 are in force.
STANDALONE_CHECKER = PACKAGE / "proofread" / "cli.py"


def code_without_comments_and_strings(path: Path) -> list[tuple[int, str]]:
    """Each line's code with comments and string literals blanked (docstrings may name what they forbid)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blanked = [list(line) for line in lines]
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    for token in tokens:
        if token.type in (tokenize.COMMENT, tokenize.STRING) or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            (start_row, start_col), (end_row, end_col) = token.start, token.end
            for row in range(start_row, end_row + 1):
                line = blanked[row - 1]
                first = start_col if row == start_row else 0
                last = end_col if row == end_row else len(line)
                for col in range(first, last):
                    line[col] = " "
    return [(number, "".join(chars)) for number, chars in enumerate(blanked, start=1)]


def test_time_is_read_only_through_the_clock():
    offenders = [
        f"{relative(path)}:{number}: {line.strip()}"
        for path in source_files()
        if path not in (CLOCK, STANDALONE_CHECKER)
        for number, line in code_without_comments_and_strings(path)
        if FORBIDDEN_TIME.search(line)
    ]

    assert offenders == [], "read the time with zhongshu.core.clock (now/today/localnow), not:\n" + "\n".join(offenders)


def test_the_time_scan_sees_through_comments_but_not_code(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""Never call timezone.now() here."""\n'
        "# datetime.now() is forbidden\n"
        "created = models.DateTimeField(auto_now_add=True)\n"
        "stamp = time.time()\n"
    )

    hits = [number for number, line in code_without_comments_and_strings(sample) if FORBIDDEN_TIME.search(line)]

    assert hits == [3, 4]


# (b) Pure cores ----------------------------------------------------------------------------------------


def pure_cores() -> list[Path]:
    cores = [PACKAGE / "workdays" / "core.py", PACKAGE / "audit" / "chain.py"]
    proofread = PACKAGE / "proofread"
    if proofread.is_dir():
        cores += [
            path
            for path in proofread.rglob("*.py")
            if not {"management", "migrations", "tests"} & set(path.relative_to(proofread).parts)
            and path.name not in {"apps.py", "models.py", "admin.py"}
        ]
    cores += [path for path in source_files() if path.name.startswith("render") and path.suffix == ".py"]
    for package in (PACKAGE / "render", PACKAGE / "tracking" / "exports"):  # document writers, reused by modules
        cores += [path for path in package.rglob("*.py") if "tests" not in path.relative_to(package).parts]
    return sorted({path for path in cores if path.exists()})


def is_django(module: str) -> bool:
    top = module.split(".")[0]
    return top in {"django", "ninja", "rest_framework"} or top.startswith("django_")


def test_pure_cores_import_no_django():
    cores = pure_cores()
    core_modules = {module_name(path) for path in cores}
    offenders = []
    for path in cores:
        for line, module in imported_modules(path):
            product_module = module.startswith("zhongshu.") and not any(
                module == core or module.startswith(core + ".") or core.startswith(module + ".")
                for core in core_modules
            )
            if is_django(module) or product_module:
                offenders.append(f"{relative(path)}:{line}: imports {module}")

    assert PACKAGE / "workdays" / "core.py" in cores
    assert offenders == [], "pure cores import neither Django nor Django-bound modules:\n" + "\n".join(offenders)


# (c) Apps talk through services and selectors -------------------------------------------------------------

PRIVATE_LAYERS = {"views", "forms", "api"}
MOUNTS = {"zhongshu/api", "zhongshu/urls.py"}  # they mount every app's pages and endpoints


def test_apps_do_not_import_each_others_views_forms_or_api():
    offenders = []
    for path in source_files():
        rel = relative(path)
        if any(rel == mount or rel.startswith(mount + "/") for mount in MOUNTS):
            continue
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2:
            continue
        own_app = parts[0]
        for line, module in imported_modules(path):
            pieces = module.split(".")
            if len(pieces) >= 3 and pieces[0] == "zhongshu" and pieces[1] != own_app and pieces[2] in PRIVATE_LAYERS:
                offenders.append(f"{rel}:{line}: imports {module}")

    assert offenders == [], "use the other app's services/selectors instead of:\n" + "\n".join(sorted(set(offenders)))


# (d) Nothing from the internet ------------------------------------------------------------------------

URL = re.compile(r"https?://[^\s\"'<>`)]+", re.IGNORECASE)
ALLOWED_URL = re.compile(r"^https?://(127\.0\.0\.1|localhost)([:/]|$)|^https?://www\.w3\.org/", re.IGNORECASE)
VENDOR_DOCS = re.compile(r"^(licen[cs]e|copying|notice|readme|authors)", re.IGNORECASE)
TEXT_SUFFIXES = {".html", ".txt", ".css", ".js", ".mjs", ".svg", ".json", ".xml", ".webmanifest", ".map"}
COMMENTS = {
    ".html": re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.DOTALL),
    ".css": re.compile(r"/\*.*?\*/", re.DOTALL),
    ".js": re.compile(r"/\*.*?\*/", re.DOTALL),
}


def asset_files() -> list[Path]:
    roots = [PACKAGE / "templates", PACKAGE / "static"]
    roots += sorted(PACKAGE.glob("*/templates")) + sorted(PACKAGE.glob("*/static"))
    files = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.suffix.lower() not in TEXT_SUFFIXES:
                continue
            if "vendor" in path.relative_to(root).parts and VENDOR_DOCS.match(path.name):
                continue
            files.append(path)
    return files


def external_urls(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    comments = COMMENTS.get(path.suffix.lower())
    if comments is not None:
        text = comments.sub(" ", text)
    return [url for url in URL.findall(text) if not ALLOWED_URL.match(url)]


def test_no_template_or_static_file_refers_to_an_internet_host():
    offenders = [f"{relative(path)}: {url}" for path in asset_files() for url in external_urls(path)]

    assert asset_files(), "no templates found: the scan is looking in the wrong place"
    assert offenders == [], "Zhongshu runs on an intranet; serve every asset from the app:\n" + "\n".join(offenders)


def test_the_asset_scan_allows_the_svg_namespace_and_the_local_machine(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>{# see https://example.com #}'
        '<a href="http://127.0.0.1:8000/">local</a><script src="https://assets.example.com/x.js"></script>'
    )

    assert external_urls(page) == ["https://assets.example.com/x.js"]


# (e) Linear migrations --------------------------------------------------------------------------------


def test_migrations_are_linear_in_every_app():
    from django.db.migrations.loader import MigrationLoader

    duplicates = []
    for directory in sorted(PACKAGE.glob("*/migrations")):
        numbers: dict[str, list[str]] = defaultdict(list)
        for path in directory.glob("[0-9][0-9][0-9][0-9]_*.py"):
            numbers[path.name[:4]].append(path.name)
        duplicates += [
            f"{relative(directory)}: {', '.join(sorted(names))}" for names in numbers.values() if len(names) > 1
        ]
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    branches = defaultdict(list)
    for app, name in graph.leaf_nodes():
        branches[app].append(name)
    forks = {app: sorted(names) for app, names in branches.items() if app in app_labels() and len(names) > 1}

    assert duplicates == [], "two migrations share a number:\n" + "\n".join(duplicates)
    assert forks == {}, f"apps with more than one leaf migration (run makemigrations --merge): {forks}"


def app_labels() -> set[str]:
    from django.apps import apps

    return {config.label for config in apps.get_app_configs() if config.name.startswith("zhongshu.")}


@pytest.mark.parametrize(
    ("path", "module", "expected"),
    [
        (
            "zhongshu/org/services.py",
            "from .models import Unit",
            ["zhongshu.org.models", "zhongshu.org.models.Unit"],
        ),
        (
            "zhongshu/org/tests/test_x.py",
            "from ..views import x",
            ["zhongshu.org.views", "zhongshu.org.views.x"],
        ),
        ("zhongshu/core/__init__.py", "from . import clock", ["zhongshu.core", "zhongshu.core.clock"]),
    ],
)
def test_relative_imports_are_resolved(tmp_path, monkeypatch, path, module, expected):
    fake = tmp_path / path
    fake.parent.mkdir(parents=True)
    fake.write_text(module + "\n")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path / "zhongshu")

    assert [name for _line, name in imported_modules(fake)] == expected
