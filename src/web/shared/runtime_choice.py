"""Which CPU runtime runs a model on WASM: onnxruntime-web, or LiteRT.js where the build
converted the model for it (a catalog entry with "litert"). The rules, without the browser.

LiteRT.js (XNNPACK) ran u2netp 1.65x faster than onnxruntime-web's WASM kernels in Chromium
on 2 threads (docs/speed.md). A failure at any step (loading the runtime, the session, its
check run, a later run) ends on onnxruntime-web, with the reason on the status line.
"""

from shared.i18n import Message
from shared.provider_choice import fault_step

RUNTIMES = ("ort", "litert")
WANTS = ("auto",) + RUNTIMES
# Steps where a failure can be injected (?fault=litert-<step>), so tests prove each falls back:
# loading the runtime, making the session, its first run, a photo's run after that.
FAULTS = ("load", "session", "first", "run")
# The provider name the engine reports for a model on LiteRT.js (the status line shows it).
PROVIDER = "litert"


def wanted(text):
    """The ?runtime= value as one of WANTS ('auto' for anything else)."""
    return text if text in WANTS else "auto"


def fault(text):
    """The ?fault=litert-<step> value as a step of FAULTS, or None."""
    return fault_step(text, "litert-", FAULTS)


def candidate(model, want):
    """Whether a model on WASM runs on LiteRT.js: it has a converted graph and the page did not
    ask for onnxruntime-web."""
    return bool(model.get("litert")) and want in ("auto", "litert")


def failed_reason(step, error_text):
    return {"code": "litert-failed", "detail": "%s: %s" % (step, error_text)}


def reason_text(why):
    """The status line's Message for this module's reason (a failure), else None."""
    if isinstance(why, dict) and why.get("code") == "litert-failed":
        return Message("reason.litert-failed", detail=why.get("detail", ""))
    return None
