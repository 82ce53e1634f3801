"""The import contracts of pyproject.toml hold, and each kind fails when broken on purpose."""

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")
# The only imports inside functions, each for a reason the module gives beside it.
LATE_IMPORTS = {
    ("bgzero/cli.py", "bgzero.native"),  # Ray: the optional extra bgzero[ray]
    ("bgzero/dev/bench.py", "playwright.sync_api"),  # the test extra's
    ("bgzero/dev/bench_start.py", "playwright.sync_api"),
    ("bgzero/dev/bench_memory.py", "playwright.sync_api"),
    ("web/shared/i18n.py", "shared"),  # a language's table only when shown (the worker's start)
}


def lint(root: Path) -> subprocess.CompletedProcess:
    src = root / "src"
    # COLUMNS: one line per contract in the report, whatever the terminal
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{src / 'web'}", "COLUMNS": "300"}
    args = [str(LINT), "--no-cache"]
    return subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300)


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", root)
    path = root / "src" / module
    path.write_text(path.read_text() + f"\n{line}\n")
    return root


def test_every_contract_holds():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BROKEN = [
    # (file, the import added at its end, the contract that must fail)
    ("bgzero/models/cards.py", "import bgzero.native.pipeline", "bgzero: the ways in above"),
    ("bgzero/native/batch.py", "import ray", "bgzero: the runtime needs neither"),
    ("bgzero/site/pages.py", "import bgzero.eval.quality", "bgzero: the runtime needs neither"),
    ("bgzero/graphs/common.py", "import bgzero.graphs.refine", "bgzero: no cycle"),
    ("web/cut/cutter.py", "from tool import state", "web, main thread: tool above"),
    ("web/worker/stages.py", "from ui import view", "web: the worker never imports"),
    ("web/ui/view.py", "from worker import providers", "web: no main-thread package imports"),
    ("web/shared/naming.py", "import js", "web: shared is pure"),
]


@pytest.mark.parametrize(("module", "line", "contract"), BROKEN)
def test_a_contract_broken_on_purpose_fails_the_check(tmp_path, module, line, contract):
    result = lint(copy_with(tmp_path, module, line))
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if " BROKEN" in row]
    assert [row for row in broken if row.startswith(contract)], result.stdout


def test_the_contracts_cover_every_package_of_the_browser():
    web = ROOT / "src" / "web"
    packages = {p.parent.name for p in web.glob("*/__init__.py")}
    text = (ROOT / "pyproject.toml").read_text()
    roots = text.split("root_packages = [", 1)[1].split("]", 1)[0]
    assert packages == {name.strip().strip('"') for name in roots.split(",")} - {"bgzero"}


def test_no_module_of_bgzero_is_in_an_import_cycle():
    graph = grimp.build_graph("bgzero")
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            assert not graph.chain_exists(imported, module), f"{module} <-> {imported}"


def test_imports_inside_functions_are_only_the_listed_ones():
    found = set()
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom):
                        found.add((path.relative_to(ROOT / "src").as_posix(), inner.module))
                    elif isinstance(inner, ast.Import):
                        rel = path.relative_to(ROOT / "src").as_posix()
                        found |= {(rel, alias.name) for alias in inner.names}
    assert found == LATE_IMPORTS
