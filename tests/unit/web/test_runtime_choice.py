"""The rules that pick LiteRT.js or onnxruntime-web for a model on WASM
(src/web/shared/runtime_choice.py), and how the status line says a LiteRT.js failure."""

from shared import catalog, messages, status
from shared import runtime_choice as choice
from shared.i18n import render

LITERT = {"file": "models/u2netp-396fb2d5de9a.tflite", "bytes": 4568848, "sha256": "ab" * 32}
U2NETP = {
    "id": "u2netp",
    "file": "models/u2netp-1.onnx",
    "size": 320,
    "bytes": 9,
    "sha256": "cd" * 32,
    "litert": LITERT,
}


def test_query_values_are_read_strictly():
    assert [choice.wanted(v) for v in ("ort", "litert", "auto", "tflite", None, "")] == [
        "ort",
        "litert",
        "auto",
        "auto",
        "auto",
        "auto",
    ]
    assert [choice.fault("litert-" + s) for s in choice.FAULTS] == list(choice.FAULTS)
    assert [choice.fault(v) for v in ("run", "litert-", "webgpu-run", "litert-fire", None)] == [
        None
    ] * 5


def test_a_model_runs_on_litert_only_with_a_converted_graph_unless_ort_is_asked_for():
    assert choice.candidate({"litert": LITERT}, "auto")
    assert choice.candidate({"litert": LITERT}, "litert")
    assert not choice.candidate({"litert": LITERT}, "ort")
    assert not choice.candidate({"litert": None}, "litert")
    assert not choice.candidate({}, "auto")


def test_the_worker_gets_the_converted_graph_with_an_absolute_url():
    spec = catalog.spec(U2NETP, "https://x/models/u2netp-1.onnx", lambda f: "https://x/" + f)
    assert spec["litert"] == {
        "url": "https://x/" + LITERT["file"],
        "bytes": LITERT["bytes"],
        "sha256": LITERT["sha256"],
    }
    assert catalog.spec(U2NETP, None)["litert"] is None  # no way to name it: ORT only
    assert catalog.spec({**U2NETP, "litert": None}, "u", lambda f: f)["litert"] is None


def test_the_status_line_names_the_runtime_and_a_failure_in_both_languages():
    why = choice.failed_reason("check", "gave 3 values, expected 102400")
    line = status.status_line("u2netp", "wasm", 2, why)
    assert render("en", line) == (
        "u2netp · wasm · 2 threads · LiteRT.js failed, using onnxruntime-web: "
        "check: gave 3 values, expected 102400"
    )
    assert "LiteRT.js 出错" in render("zh", line)
    assert render("en", status.status_line("u2netp", "litert", 2)) == "u2netp · litert · 2 threads"
    assert "litert" in messages.PROVIDERS
