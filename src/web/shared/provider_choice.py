"""Which execution provider runs the model: the rules, without touching the browser.

The worker (providers.py) asks these questions in order: did the user force one (a query
parameter), is there an adapter at all, is it a software one, was a choice remembered for
this device and runtime, and, failing all that, which smoke run was faster. Every answer
that ends on WASM carries a reason the status line shows.
"""

from shared.i18n import Message

PROVIDERS = ("wasm", "webgpu")
WANTS = ("auto",) + PROVIDERS
# Steps of the WebGPU path where a failure can be injected (?fault=webgpu-<step>), so tests
# can prove each one falls back; "lost" destroys the GPU device after the session exists.
FAULTS = ("import", "session", "smoke", "run", "lost")

# Time limits (ms) of the WebGPU steps. A forced WebGPU (testing on a software adapter) may
# be far slower than WASM and still has to finish, so its limits are longer.
_LIMITS = {"adapter": 5_000, "import": 30_000, "session": 60_000, "smoke": 30_000}
_FORCED_FACTOR = 10
# A later run may take this many smoke runs' time (the model's input is always its square,
# so a run costs about one smoke run) before it counts as hung.
_RUN_FACTOR = 10
_RUN_MIN_MS = 30_000

# Adapter descriptions of renderers that run on the CPU.
_SOFTWARE = (
    "swiftshader",
    "llvmpipe",
    "lavapipe",
    "softpipe",
    "microsoft basic render",
    "software",
)

# Why a provider was chosen: each code's text is "reason.<code>" (shared/text_*.py).
REASONS = (
    "forced",
    "forced-webgpu",
    "no-webgpu",
    "no-adapter",
    "software",
    "slower",
    "faster",
    "remembered",
    "failed",
)


def wanted(text):
    """The ?provider= value as one of WANTS ('auto' for anything else)."""
    return text if text in WANTS else "auto"


def fault(text):
    """The ?fault=webgpu-<step> value as a step of FAULTS, or None."""
    return fault_step(text, "webgpu-", FAULTS)


def fault_step(text, prefix, steps):
    """The step of `steps` a ?fault= value names after `prefix`, or None."""
    if isinstance(text, str) and text.startswith(prefix) and text[len(prefix) :] in steps:
        return text[len(prefix) :]
    return None


def limit_ms(step, forced):
    return _LIMITS[step] * (_FORCED_FACTOR if forced else 1)


def run_limit_ms(smoke_ms):
    """How long a model run on WebGPU may take before it is given up on as hung."""
    return max(_RUN_MIN_MS, _RUN_FACTOR * smoke_ms)


def adapter_info(vendor, architecture, device, description, fallback):
    """GPUAdapterInfo's fields as a plain dict (the worker reads them from JS)."""
    return {
        "vendor": str(vendor or ""),
        "architecture": str(architecture or ""),
        "device": str(device or ""),
        "description": str(description or ""),
        "fallback": bool(fallback),
    }


def software(info):
    """The name of a software renderer this adapter is, or None for a real GPU."""
    for field in ("architecture", "description", "device", "vendor"):
        text = info[field].lower()
        for name in _SOFTWARE:
            if name in text:
                return info[field]
    if info["fallback"]:
        return "fallback adapter"
    return None


def device_key(info, runtime_version):
    """What a remembered choice is valid for: this adapter and this onnxruntime-web."""
    adapter = "/".join(info[f] for f in ("vendor", "architecture", "device", "description"))
    return "webgpu:%s@ort-%s" % (adapter, runtime_version)


def reason(code, detail=""):
    if code not in REASONS:
        raise ValueError("unknown reason %r" % (code,))
    return {"code": code, "detail": str(detail)}


def reason_text(why):
    """The status line's Message for a reason dict (None -> None)."""
    if not why:
        return None
    detail = why.get("detail", "")
    if why.get("code") == "remembered":
        detail = reason_text(why.get("was")) or detail
    if why.get("code") not in REASONS:
        return Message("text", text=str(detail))
    return Message("reason." + why["code"], detail=detail)


def recall(remembered, key):
    """The remembered {provider, reason} for this key, or None if absent or malformed."""
    entry = remembered.get(key) if isinstance(remembered, dict) else None
    if not isinstance(entry, dict) or entry.get("provider") not in PROVIDERS:
        return None
    was = entry.get("reason")
    if not (isinstance(was, dict) and was.get("code") in REASONS):
        return None
    return {"provider": entry["provider"], "reason": reason_from_memory(was)}


def reason_from_memory(was):
    why = reason("remembered")
    why["was"] = {"code": was["code"], "detail": str(was.get("detail", ""))}
    return why


def ms_text(webgpu_ms, wasm_ms):
    return "WebGPU %d ms, WASM %d ms" % (int(webgpu_ms + 0.5), int(wasm_ms + 0.5))


def faster(webgpu_ms, wasm_ms):
    """(provider, reason) from one warm smoke run on each; a tie goes to WASM, which has
    no device to lose."""
    detail = ms_text(webgpu_ms, wasm_ms)
    if webgpu_ms < wasm_ms:
        return "webgpu", reason("faster", detail)
    return "wasm", reason("slower", detail)
