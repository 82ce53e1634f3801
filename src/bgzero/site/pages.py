"""The pages around the tool, written into dist/ by the build: the shared header and footer
on every page, the licences of what dist/ really ships, and the source archive of the tree
the site was built from (AGPL-3.0 §13: a network service offers its source)."""

import gzip
import html
import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

from bgzero.repo import ROOT

SOURCE_ARCHIVE = "bgzero-source.tgz"
# Pages that get the header and footer (the embed frame has neither: it lives in a host page).
FRAMED_PAGES = (
    "index.html",
    "how-it-works.html",
    "privacy.html",
    "licences.html",
    "accessibility.html",
)
MARKS = ("head", "header", "langs", "footer")  # in this order: the header holds <!-- langs -->
_SKIP_DIRS = {".git", ".venv", "dist", "dist.partial", "node_modules", "__pycache__"}


def npm_closure(modules: Path, names: list[str]) -> list[dict]:
    """The npm packages `names` and every dependency they pull in (bundled into their
    files or loaded by them), each once: name, version, licence id and licence text."""
    seen, todo, found = set(), list(names), []
    while todo:
        name = todo.pop(0)
        folder = modules / name
        if name in seen or not (folder / "package.json").is_file():
            continue
        seen.add(name)
        package = json.loads((folder / "package.json").read_text())
        texts = sorted(
            p for p in folder.iterdir() if p.name.upper().startswith(("LICEN", "COPYING"))
        )
        found.append(
            {
                "name": package["name"],
                "version": package["version"],
                "licence": package.get("license", "see package"),
                "text": texts[0].read_text(errors="replace") if texts else None,
            }
        )
        todo += sorted(package.get("dependencies", {}))
    return sorted(found, key=lambda p: p["name"])


def _package_rows(packages: list[dict]) -> list[str]:
    rows = []
    for p in packages:
        text = p["text"]
        full = (
            f"<details><summary>{html.escape(p['licence'])}</summary>"
            f"<pre>{html.escape(text)}</pre></details>"
            if text
            else f'{html.escape(p["licence"])} <span data-i18n="licences.no_text"></span>'
        )
        rows.append(
            f"<tr><td>{html.escape(p['name'])}</td><td>{html.escape(p['version'])}</td>"
            f"<td>{full}</td></tr>"
        )
    return rows


def _model_rows(models: list[dict]) -> list[str]:
    return [
        f"<tr><td>{html.escape(m['id'])}</td><td>{html.escape(m['source'])}</td>"
        f"<td>{html.escape(m['licence'])}</td><td><code>{m['sha256']}</code></td></tr>"
        for m in models
    ]


def _sample_rows(samples: list[dict]) -> list[str]:
    return [
        f"<tr><td><code>{html.escape(s['file'])}</code></td><td>{html.escape(s['source'])}</td>"
        f"<td>{html.escape(s['licence'])}</td></tr>"
        for s in samples
    ]


def write_licences(
    dist: Path, packages: list[dict], models: list[dict], samples: list[dict]
) -> None:
    """licences.html from its template: every npm package in dist/ with its full licence
    text, every model with its source package, licence and sha256, every sample photo with
    its source and licence."""
    page = (ROOT / "static" / "licences.html").read_text()
    page = page.replace("<!-- packages -->", "\n".join(_package_rows(packages)))
    page = page.replace("<!-- models -->", "\n".join(_model_rows(models)))
    page = page.replace("<!-- samples -->", "\n".join(_sample_rows(samples)))
    (dist / "licences.html").write_text(page)


def frame_pages(dist: Path) -> None:
    """The shared parts (static/_head.html, _header.html, _langs.html, _footer.html) into
    every page that marks their place (<!-- head --> ...)."""
    parts = {mark: (ROOT / "static" / f"_{mark}.html").read_text() for mark in MARKS}
    for name in FRAMED_PAGES:
        path = dist / name
        text = path.read_text()
        if "<!-- footer -->" not in text:
            raise ValueError(f"{name} has no <!-- footer --> mark")
        for mark, part in parts.items():
            text = text.replace(f"<!-- {mark} -->", part)
        path.write_text(text)


def source_files(root: Path = ROOT) -> list[Path]:
    """The files of the tree the site is built from: what git tracks or would track (not
    what it ignores); without git, every file outside build and cache folders."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
        names = [n for n in out.decode().split("\0") if n]
        return sorted(root / n for n in names if (root / n).is_file())
    except (OSError, subprocess.CalledProcessError):
        found = []
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS)
            found += [Path(folder) / f for f in files]
        return sorted(found)


def write_source_archive(dist: Path, root: Path = ROOT) -> None:
    """dist/bgzero-source.tgz: the exact tree, byte-reproducible (sorted, no times or
    owners), so the same tree always gives the same archive."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in source_files(root):
            info = tarfile.TarInfo("bgzero/" + path.relative_to(root).as_posix())
            data = path.read_bytes()
            info.size, info.mtime = len(data), 0
            info.mode = 0o755 if os.access(path, os.X_OK) else 0o644
            tar.addfile(info, io.BytesIO(data))
    (dist / SOURCE_ARCHIVE).write_bytes(gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0))
