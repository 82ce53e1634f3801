"""Messages (shared/i18n.py) of the status line and the progress stage."""

from shared import i18n, provider_choice, runtime_choice
from shared.i18n import Message

STAGES = (
    "download",
    "session",
    "decode",
    "resize",
    "inference",
    "refine",
    "decontaminate",
    "composite",
    "encode",
    "done",
)
# The timings line's stages, in the order they run.
TIMINGS = ("decode", "resize", "pixels", "run", "refine", "decontaminate", "composite", "encode")


def stage_name(stage):
    if stage in STAGES:
        return Message("stage." + stage)
    return Message("text", text=str(stage))


def stage_text(stage, done=None, total=None):
    """'Loading model · 1.2 MB / 4.4 MB', 'Refining edges…' or 'Done'."""
    name = stage_name(stage)
    if done is not None:
        if total:
            return Message("stage.bytes", stage=name, done=i18n.size(done), total=i18n.size(total))
        return Message("stage.bytes_open", stage=name, done=i18n.size(done))
    if stage == "done":
        return name
    return Message("stage.busy", stage=name)


def fraction(done, total):
    """Progress bar value in [0, 1], or None for an indeterminate bar."""
    if done is None or not total:
        return None
    return min(1.0, max(0.0, done / total))


def status_line(model_id, provider, threads, reason=None):
    """'u2netp · wasm · 2 threads', then why this provider when there is a reason."""
    key = "status.engine_one" if threads == 1 else "status.engine"
    line = Message(key, model=model_id, provider=provider, n=threads)
    why = runtime_choice.reason_text(reason) or provider_choice.reason_text(reason)
    return Message("status.why", line=line, why=why) if why else line


def lacks(threads, reason):
    """What this browser lacks that makes a cut-out slower, in the user's words (None when
    nothing is): one thread only, and no WebGPU at all. A missing or slower graphics card
    is the device, not the browser: the Details line says it."""
    code = (reason or {}).get("code")
    if code == "remembered":
        code = (reason.get("was") or {}).get("code")
    no_webgpu = code == "no-webgpu"
    if threads == 1 and no_webgpu:
        return Message("lacks.both")
    if threads == 1:
        return Message("lacks.threads")
    if no_webgpu:
        return Message("lacks.webgpu")
    return None


def timings_text(timings):
    """{'decode': 12.3, 'run': 830} -> 'decode 12 ms · run 830 ms' in a fixed order."""
    parts = [Message("timing." + k, ms=i18n.ms(timings[k])) for k in TIMINGS if k in timings]
    return Message("timings", parts=parts)
