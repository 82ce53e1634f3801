"""The build ships every file the onnxruntime-web bundles load, and precaches the WASM ones."""

import json
import os
import re
from pathlib import Path

import pytest

from bgzero.models import assets
from bgzero.site import runtime as site
from bgzero.web_shared import catalog

ROOT = Path(__file__).resolve().parents[3]
DIST = Path(os.environ.get("BGZERO_DIST", ROOT / "dist"))
ORT = DIST / site.ORT_DIR


def written(sw_text: str, name: str):
    """A constant the build wrote into sw.js (`const NAME = <JSON>;`), decoded."""
    return json.loads(re.search(rf"const {name} = (.*?);\s", sw_text).group(1))


@pytest.fixture(scope="module")
def dist():
    if not (DIST / "index.html").is_file():
        pytest.fail(f"{DIST} is not built: run `make build` (make test does)")
    return DIST


def test_every_file_a_shipped_ort_script_loads_is_in_dist(dist):
    scripts = sorted(ORT.glob("*.mjs"))
    assert {p.name for p in scripts} >= set(site.ORT_ENTRIES.values())
    loaded = set()
    for script in scripts:
        for name in site.ort_references(script.read_bytes()):
            assert (ORT / name).is_file(), f"{script.name} loads {name}, which dist lacks"
            loaded.add(name)
    # Both bundles' Emscripten loaders and their WebAssembly are among them.
    assert sum(name.endswith(".wasm") for name in loaded) >= 2, loaded


def test_the_worker_imports_the_bundles_the_build_ships():
    source = (ROOT / "src" / "web" / "worker" / "providers.py").read_text()
    for bundle in site.ORT_ENTRIES.values():
        assert f'"{bundle}"' in source


def test_service_worker_precaches_wasm_and_lists_webgpu_files(dist):
    text = (dist / "sw.js").read_text()
    files, precache = written(text, "FILES"), written(text, "PRECACHE")
    shipped = {f"{site.ORT_DIR}/{p.name}" for p in ORT.iterdir() if p.suffix != ".gz"}
    assert shipped <= set(files)
    modules = assets.npm_modules(assets.cache_dir(), ROOT) / site.ORT_PACKAGE
    wasm = {f"{site.ORT_DIR}/{n}" for n in site.ort_files(modules, site.ORT_ENTRIES["wasm"])}
    assert wasm <= set(precache)
    on_demand = set(site.ort_on_demand(modules))
    assert on_demand and not on_demand & set(precache) and on_demand <= shipped


def test_the_service_worker_knows_model_files_by_the_catalogs_rule(dist):
    # Server, build and service worker once each had their own list of model suffixes, and
    # the .tflite graph was cached twice on a first visit where one list lagged.
    text = (dist / "sw.js").read_text()
    assert not re.search(r"__[A-Z_]+__", text), "a placeholder the build left in sw.js"
    assert written(text, "MODEL_DIR") == catalog.MODEL_DIR
    assert tuple(written(text, "MODEL_SUFFIXES")) == catalog.MODEL_SUFFIXES
    files, precache = written(text, "FILES"), set(written(text, "PRECACHE"))
    models = [f for f in files if catalog.is_model_file(f)]
    assert {f.rsplit(".", 1)[1] for f in models} == {"onnx", "tflite"}
    assert not precache & set(models)


def test_a_bundle_naming_a_file_the_package_lacks_stops_the_build(tmp_path):
    (tmp_path / "ort.fake.mjs").write_text('const s="ort-wasm-simd-threaded.fake.mjs";')
    (tmp_path / "ort-wasm-simd-threaded.fake.mjs").write_text(
        'locate("ort-wasm-simd-threaded.fake.wasm")'
    )
    with pytest.raises(assets.AssetError, match=r"ort-wasm-simd-threaded\.fake\.wasm"):
        site.ort_files(tmp_path, "ort.fake.mjs")
    (tmp_path / "ort-wasm-simd-threaded.fake.wasm").write_bytes(b"\0asm")
    assert site.ort_files(tmp_path, "ort.fake.mjs") == [
        "ort-wasm-simd-threaded.fake.mjs",
        "ort-wasm-simd-threaded.fake.wasm",
        "ort.fake.mjs",
    ]
