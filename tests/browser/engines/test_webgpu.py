"""The WebGPU path in real Chromium with a software adapter (SwiftShader, see conftest):
forced, it cuts on WebGPU; by default that adapter is skipped; every failure falls back."""

import pytest
from made_models import u2netp_like

from bgzero.eval.groundtruth import photos
from bgzero.native import own
from brought import keep_model_file
from oracle import assert_matches_native

PETS = photos("pets")
# SwiftShader runs u2netp about 100x slower than WASM (a forced WebGPU cut takes minutes); a
# failing step may wait this long before it falls back.
SLOW_MS = 900_000
GPU_FILES = ("ort.webgpu.min.mjs", "ort-wasm-simd-threaded.asyncify")


def gpu_requests(app):
    return [url for _, url, _ in app.log.requests if any(f in url for f in GPU_FILES)]


def test_forced_webgpu_cuts_on_webgpu_like_native(app, tmp_path):
    """The first session decides the engine: here a kept toy with u2netp's interface and
    kinds of layer (opened by ?model=own-kept), which SwiftShader runs in seconds."""
    model = u2netp_like(tmp_path / "toy-u2netp.onnx")
    app.open(provider="wasm")
    keep_model_file(app, model)
    app.open(model="own-kept", provider="webgpu", wait=False)
    app.page.wait_for_function("(document.body.dataset.ownModel || '').startsWith('own-')")
    assert "webgpu" in app.status() and "forced" in app.status(), app.status()
    assert gpu_requests(app)
    app.cut(PETS[0])
    assert "webgpu" in app.status(), app.status()
    assert_matches_native(app.download(tmp_path), PETS[0], model=own.load(model, "u2net").id)
    assert app.log.console_errors() == []


def test_a_software_adapter_is_not_chosen_by_default(app, tmp_path):
    app.open()
    status = app.status()
    # On the CPU, u2netp runs on LiteRT.js (src/web/shared/runtime_choice.py).
    assert "u2netp · litert · 2 threads" in status, status
    assert "WebGPU not used: software adapter (swiftshader)" in status, status
    app.cut(PETS[1])
    assert "litert" in app.status()
    assert_matches_native(app.download(tmp_path), PETS[1])
    assert gpu_requests(app) == [], "the WebGPU runtime was loaded for nothing"
    assert app.log.console_errors() == []


@pytest.mark.parametrize(
    "step, said, worker",
    [
        ("import", "import", None),
        ("session", "session", None),
        ("smoke", "smoke run", None),
        ("smoke", "smoke run", "py"),  # the worker code on Pyodide: a GPU session, then the fault
    ],
)
def test_a_webgpu_failure_falls_back_to_wasm_and_cuts(app, tmp_path, step, said, worker):
    app.page.set_default_timeout(SLOW_MS)
    app.open(worker=worker, provider="webgpu", fault=f"webgpu-{step}")
    status = app.status()
    assert "u2netp · wasm · 2 threads" in status, status
    assert f"WebGPU failed, using WASM: {said}" in status, status
    app.cut(PETS[2])
    assert "wasm" in app.status()
    assert_matches_native(app.download(tmp_path), PETS[2])
    assert app.log.console_errors() == []


def test_a_photo_chosen_while_webgpu_fails_is_still_cut(app, tmp_path):
    """The page's model load and the photo race: the cut waits for the fallback."""
    app.page.set_default_timeout(SLOW_MS)
    app.open(provider="webgpu", fault="webgpu-session", wait=False)
    app.page.wait_for_selector("#file:not([disabled])", state="attached")
    app.pick(PETS[3])
    assert app.state() == "done", app.message()
    assert "WebGPU failed, using WASM: session" in app.status()
    assert_matches_native(app.download(tmp_path), PETS[3])
