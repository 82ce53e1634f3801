"""The browser's Python in dist/: src/web copied to py/, and the PyScript configs that list
its files, generated from the entry scripts' imports (never by hand).

PyScript fetches only the files a config lists, before the script runs. So each list is what
its thread imports, transitively: the pages' (main thread) in pyscript.toml, the worker's in
worker-{mpy,py}.toml. A module the main thread never imports never reaches its list, and one
that exists but is imported by nobody ships in no list at all.
"""

import ast
import re
import shutil
import tomllib
from pathlib import Path

from bgzero.repo import ROOT

PAGE_ENTRIES = ("app.py", "embed.py", "pages.py")  # loaded by the pages' <script src>
WORKER_ENTRY = "worker/cut_worker.py"  # started by cut/worker_bridge.py
INTERPRETERS = {
    "mpy": "./runtime/micropython/micropython.mjs",
    "py": "./runtime/pyodide/pyodide.mjs",
}


def imported_modules(web: Path, entry: str) -> set[str]:
    """The files of src/web that `entry` imports, transitively, imports inside functions
    included, with the __init__.py of every package on the way (paths relative to `web`)."""
    found, todo = set(), [entry]
    while todo:
        rel = todo.pop()
        if rel in found:
            continue
        found.add(rel)
        parts = rel.split("/")[:-1]
        todo += [f"{'/'.join(parts[:i])}/__init__.py" for i in range(1, len(parts) + 1)]
        for node in ast.walk(ast.parse((web / rel).read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            for name in names:
                path = name.replace(".", "/")
                todo += [c for c in (f"{path}.py", f"{path}/__init__.py") if (web / c).is_file()]
    return found


def config(interpreter: str, modules: set[str]) -> str:
    """A PyScript config: the interpreter, and [files] mapping each module's URL to its path."""
    lines = [f'interpreter = "{interpreter}"', "", "[files]"]
    lines += [f'"./py/{path}" = "./{path}"' for path in sorted(modules)]
    return "\n".join(lines) + "\n"


def page_interpreter(source: str) -> str:
    """The page's interpreter from the repository's pyscript.toml, which lists no files."""
    settings = tomllib.loads(source)
    if "files" in settings:
        raise ValueError("pyscript.toml lists [files] by hand; the build generates them")
    return settings["interpreter"]


def main_thread_modules(web: Path) -> set[str]:
    found = set().union(*(imported_modules(web, entry) for entry in PAGE_ENTRIES))
    return found - set(PAGE_ENTRIES)


def copy_web_python(dist: Path, web: Path = ROOT / "src" / "web") -> None:
    shutil.copytree(web, dist / "py", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    interpreter = page_interpreter((ROOT / "pyscript.toml").read_text())
    (dist / "pyscript.toml").write_text(config(interpreter, main_thread_modules(web)))
    worker = imported_modules(web, WORKER_ENTRY)
    for kind, path in INTERPRETERS.items():
        (dist / f"worker-{kind}.toml").write_text(config(path, worker))


def listed(config_text: str) -> set[str]:
    """The module paths a generated config lists."""
    return {re.sub(r"^\./", "", v) for v in tomllib.loads(config_text).get("files", {}).values()}
