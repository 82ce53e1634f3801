"""The rules that pick WebGPU or WASM (src/web/shared/provider_choice.py)."""

import pytest

from shared import provider_choice as choice

SWIFTSHADER = choice.adapter_info("google", "swiftshader", "", "", True)
NVIDIA = choice.adapter_info("nvidia", "hopper", "", "NVIDIA H200", False)


def test_query_values_are_read_strictly():
    assert [choice.wanted(v) for v in ("webgpu", "wasm", "auto", "cuda", None, "")] == [
        "webgpu",
        "wasm",
        "auto",
        "auto",
        "auto",
        "auto",
    ]
    assert choice.fault("webgpu-smoke") == "smoke"
    assert choice.fault("webgpu-import") == "import"
    assert [choice.fault(v) for v in ("smoke", "webgpu-", "webgpu-fire", None)] == [None] * 4


@pytest.mark.parametrize(
    "info, expected",
    [
        (SWIFTSHADER, "swiftshader"),
        (
            choice.adapter_info("mesa", "", "", "llvmpipe (LLVM 15.0.6, 256 bits)", False),
            "llvmpipe (LLVM 15.0.6, 256 bits)",
        ),
        (
            choice.adapter_info("microsoft", "", "", "Microsoft Basic Render Driver", False),
            "Microsoft Basic Render Driver",
        ),
        (choice.adapter_info("", "", "", "", True), "fallback adapter"),
        (NVIDIA, None),
        (choice.adapter_info("apple", "metal-3", "", "", False), None),
    ],
)
def test_software_and_fallback_adapters_are_recognised(info, expected):
    assert choice.software(info) == expected


def test_faster_smoke_run_wins_and_a_tie_stays_on_wasm():
    provider, why = choice.faster(120.0, 900.0)
    assert (
        provider == "webgpu"
        and str(choice.reason_text(why)) == "WebGPU measured faster (WebGPU 120 ms, WASM 900 ms)"
    )
    provider, why = choice.faster(130_000.0, 900.0)
    assert provider == "wasm" and "slower than WASM here" in str(choice.reason_text(why))
    assert choice.faster(500.0, 500.0)[0] == "wasm"


def test_a_choice_is_remembered_per_adapter_and_runtime_version():
    key = choice.device_key(NVIDIA, "1.30.0")
    assert key != choice.device_key(NVIDIA, "1.31.0")
    assert key != choice.device_key(SWIFTSHADER, "1.30.0")
    provider, why = choice.faster(900.0, 300.0)
    remembered = {key: {"provider": provider, "reason": why}}
    recalled = choice.recall(remembered, key)
    assert recalled["provider"] == "wasm"
    assert (
        str(choice.reason_text(recalled["reason"]))
        == "WebGPU not used: slower than WASM here (WebGPU 900 ms, WASM 300 ms) "
        "(remembered for this device)"
    )
    assert choice.recall(remembered, choice.device_key(NVIDIA, "1.31.0")) is None


@pytest.mark.parametrize(
    "stored",
    [
        None,
        [],
        "x",
        {"k": "webgpu"},
        {"k": {"provider": "cuda"}},
        {"k": {"provider": "wasm", "reason": {"code": "??"}}},
        {"k": {"provider": "wasm"}},
    ],
)
def test_damaged_memory_is_ignored(stored):
    assert choice.recall(stored, "k") is None


def test_limits_are_longer_when_forced_and_runs_scale_with_the_smoke_run():
    assert choice.limit_ms("session", True) > choice.limit_ms("session", False) > 0
    assert choice.run_limit_ms(100) == choice.run_limit_ms(0) > 0
    assert choice.run_limit_ms(130_000) >= 10 * 130_000


def test_every_reason_has_words():
    for code in choice.REASONS:
        assert "{detail}" not in str(choice.reason_text(choice.reason(code, "x")))
    assert choice.reason_text(None) is None
    with pytest.raises(ValueError):
        choice.reason("because")
