"""The pages around the tool as the build writes them (src/bgzero/site/pages.py)."""

import io
import json
import tarfile

import pytest
from PIL import Image

from bgzero.repo import GT, ROOT
from bgzero.site import pages as site_pages
from bgzero.site import web_python
from bgzero.site.samples import PREVIEW, SAMPLES, write_samples


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


def test_the_worker_fetches_only_the_modules_it_imports(tmp_path):
    web_python.copy_web_python(tmp_path)
    worker = web_python.listed((tmp_path / "worker-mpy.toml").read_text())
    assert {web_python.WORKER_ENTRY, "shared/messages.py"} <= worker
    assert {"shared/text_en.py", "shared/i18n.py"} <= worker  # a Problem's English text
    assert not {"app.py", "editor/editor.py", "ui/page_text.py", "tool/network_panel.py"} & worker
    worker_py = (tmp_path / "worker-py.toml").read_text()
    assert 'interpreter = "./runtime/pyodide/pyodide.mjs"' in worker_py
    main = web_python.listed((tmp_path / "pyscript.toml").read_text())
    # the worker's entry and its engine choice never reach the main thread's list
    assert not {web_python.WORKER_ENTRY, "worker/providers.py"} & main


def test_the_pages_fetch_every_module_they_import_and_none_is_left_out(tmp_path):
    web_python.copy_web_python(tmp_path)
    main = web_python.listed((tmp_path / "pyscript.toml").read_text())
    web = ROOT / "src" / "web"
    for entry in web_python.PAGE_ENTRIES:
        assert web_python.imported_modules(web, entry) - {entry} <= main
    every = {p.relative_to(web).as_posix() for p in web.rglob("*.py")}
    worker = web_python.listed((tmp_path / "worker-mpy.toml").read_text())
    assert every - main - worker - set(web_python.PAGE_ENTRIES) == set()


def test_a_module_is_listed_where_it_is_imported_even_in_a_package(tmp_path):
    web = tmp_path / "web"
    (web / "tool").mkdir(parents=True)
    (web / "entry.py").write_text("from tool.state import State\n")
    (web / "tool" / "__init__.py").write_text("")
    (web / "tool" / "state.py").write_text("import shared_thing\n")
    (web / "shared_thing.py").write_text("")
    (web / "unused.py").write_text("")
    found = web_python.imported_modules(web, "entry.py")
    assert found == {"entry.py", "tool/__init__.py", "tool/state.py", "shared_thing.py"}


def test_files_listed_by_hand_in_pyscript_toml_are_refused():
    with pytest.raises(ValueError, match="by hand"):
        web_python.page_interpreter('interpreter = "x"\n[files]\n"./py/a.py" = "./a.py"\n')
    assert web_python.page_interpreter((ROOT / "pyscript.toml").read_text()).endswith(".mjs")


def test_the_sample_photos_are_copied_with_previews_and_their_buttons(tmp_path):
    (tmp_path / "index.html").write_text("<div><!-- samples --></div>")
    rows = write_samples(tmp_path)
    assert [r["file"] for r in rows] == [f"samples/{name}" for _, name, *_ in SAMPLES]
    html = (tmp_path / "index.html").read_text()
    for (subset, name, key, _, licence), row in zip(SAMPLES, rows):
        assert (tmp_path / row["file"]).read_bytes() == (GT / subset / "images" / name).read_bytes()
        preview = Image.open(tmp_path / "samples" / name.replace(".jpg", "-preview.jpg"))
        assert max(preview.size) == PREVIEW
        assert f'data-sample="samples/{name}"' in html and f'data-i18n-alt="{key}"' in html
        assert row["licence"] == licence
    assert "<!-- samples -->" not in html
    with pytest.raises(ValueError, match="samples"):
        write_samples(tmp_path)  # the mark is gone: a page without it is refused


def test_the_installed_app_takes_shared_photos_and_opens_image_files():
    manifest = json.loads((ROOT / "static" / "manifest.webmanifest").read_text())
    share = manifest["share_target"]
    assert share["method"] == "POST" and share["enctype"] == "multipart/form-data"
    (files,) = share["params"]["files"]
    sw = (ROOT / "static" / "sw.js").read_text()
    assert f'form.getAll("{files["name"]}")' in sw  # the field the service worker reads
    assert f'path === "{share["action"].removeprefix("./")}"' in sw
    assert "image/*" in files["accept"]
    handler = manifest["file_handlers"][0]
    assert handler["action"] == "./"
    for kind in ("image/jpeg", "image/png", "image/webp"):
        assert kind in handler["accept"]
    assert manifest["launch_handler"]["client_mode"] == "focus-existing"
