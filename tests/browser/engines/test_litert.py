"""The CPU runtime in real Chromium: u2netp on LiteRT.js by default (its graph converted at
build time), onnxruntime-web when asked for, and every LiteRT.js failure (loading it, its
first run, a later run on a photo) ends on onnxruntime-web with a correct cut-out."""

import pytest

from bgzero.eval.groundtruth import photos
from oracle import assert_matches_native

PETS = photos("pets")


def litert_runtime_requests(app):
    """LiteRT.js's own files (its graph is kept for offline use whichever runtime runs)."""
    return [url for _, url, _ in app.log.requests if "/runtime/litert" in url]


def test_onnxruntime_web_when_asked_for_and_nothing_of_litert_loads(app, tmp_path):
    app.open(runtime="ort")
    app.cut(PETS[3])
    assert "u2netp · wasm · 2 threads" in app.status(), app.status()
    assert_matches_native(app.download(tmp_path), PETS[3])
    assert litert_runtime_requests(app) == []
    assert app.log.console_errors() == []


def test_litert_holds_no_webgpu_device_and_leaves_webgpu_to_the_worker(app):
    """LiteRT.js would make its default environment on a WebGPU device wherever there is an
    adapter (this browser has SwiftShader's); it runs on the CPU only, so it gets none, and
    the worker's navigator still offers WebGPU once it has loaded."""
    app.open()
    assert "u2netp · litert" in app.status(), app.status()
    (worker,) = [w for w in app.page.workers if w.url.startswith("blob:")]
    held = worker.evaluate(
        "import(new URL('runtime/litert/index.js', location.origin + '/').href)"
        ".then((lr) => [lr.getWebGpuDevice() ?? null, typeof navigator.gpu])"
    )
    assert held == [None, "object"], held
    assert app.log.console_errors() == []


@pytest.mark.parametrize("step, said", [("load", "load"), ("first", "first run"), ("run", "run")])
def test_a_litert_failure_ends_on_onnxruntime_web_with_a_correct_cutout(app, tmp_path, step, said):
    """With no photo waiting, the session's first run is the one on grey at load; a photo's
    run comes after it."""
    app.open(runtime="litert", fault=f"litert-{step}")
    if step != "run":
        assert "u2netp · wasm" in app.status(), app.status()
    app.cut(PETS[2])
    status = app.status()
    assert "u2netp · wasm · 2 threads" in status, status
    assert f"LiteRT.js failed, using onnxruntime-web: {said}: fault injected" in status, status
    assert_matches_native(app.download(tmp_path), PETS[2])
    # The next photo stays on onnxruntime-web, in the same worker.
    app.cut(PETS[4])
    assert "u2netp · wasm" in app.status()
    assert_matches_native(app.download(tmp_path), PETS[4])
    assert app.log.console_errors() == []
