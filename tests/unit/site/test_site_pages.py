"""The pages around the tool as the build writes them (src/bgzero/site_pages.py)."""

import io
import json
import tarfile

from bgzero.site import build as site
from bgzero.site import pages as site_pages


def test_the_source_archive_is_the_tree_and_the_same_every_time(tmp_path):
    tree = tmp_path / "tree"
    (tree / "src").mkdir(parents=True)
    (tree / "src" / "app.py").write_text("print('hi')\n")
    (tree / "README.md").write_text("# x\n")
    for out in ("a", "b"):
        (tmp_path / out).mkdir()
        site_pages.write_source_archive(tmp_path / out, tree)
    first = (tmp_path / "a" / site_pages.SOURCE_ARCHIVE).read_bytes()
    assert first == (tmp_path / "b" / site_pages.SOURCE_ARCHIVE).read_bytes()
    with tarfile.open(fileobj=io.BytesIO(first)) as tar:
        assert sorted(tar.getnames()) == ["bgzero/README.md", "bgzero/src/app.py"]
        assert tar.extractfile("bgzero/src/app.py").read() == b"print('hi')\n"


def test_the_repository_archive_holds_what_git_tracks():
    names = {p.relative_to(site_pages.ROOT).as_posix() for p in site_pages.source_files()}
    assert {"pyproject.toml", "src/web/app.py", "static/index.html", "Makefile"} <= names
    assert not any(n.startswith(("dist/", ".venv/", ".git/")) for n in names)


def write_package(modules, name, version, licence, deps=(), text=None):
    folder = modules / name
    folder.mkdir(parents=True)
    package = {"name": name, "version": version, "license": licence}
    package["dependencies"] = dict.fromkeys(deps, "*")
    (folder / "package.json").write_text(json.dumps(package))
    if text:
        (folder / "LICENSE").write_text(text)


def test_licences_list_each_package_and_what_it_pulls_in_with_its_text(tmp_path):
    modules = tmp_path / "node_modules"
    write_package(modules, "@scope/app", "1.0.0", "MIT", ["lib", "gone"], "MIT text")
    write_package(modules, "lib", "2.1.0", "Apache-2.0", ["@scope/app"])
    found = site_pages.npm_closure(modules, ["@scope/app"])
    assert [(p["name"], p["version"], p["licence"]) for p in found] == [
        ("@scope/app", "1.0.0", "MIT"),
        ("lib", "2.1.0", "Apache-2.0"),
    ]
    assert found[0]["text"] == "MIT text" and found[1]["text"] is None


def test_the_worker_fetches_only_the_modules_it_imports():
    modules = site.imported_modules(site.ROOT / "src" / "web", site.WORKER_ENTRY)
    assert {"cut_worker.py", "providers.py", "wire.py", "shared/messages.py"} <= modules
    assert {"shared/text_en.py", "shared/i18n.py"} <= modules  # a Problem's English text
    assert not {"app.py", "editor.py", "page_text.py", "network_panel.py"} & modules
    config = site.worker_config((site.ROOT / "pyscript.toml").read_text(), "./w.mjs", modules)
    assert 'interpreter = "./w.mjs"' in config
    assert '"./py/providers.py" = "./providers.py"' in config
    assert "editor.py" not in config and "[files]" in config
