"""Texts of the status line and the progress stage."""

from shared import provider_choice

STAGES = {
    "download": "Loading model",
    "session": "Preparing model",
    "decode": "Decoding image",
    "resize": "Resizing",
    "inference": "Removing background",
    "refine": "Refining edges",
    "decontaminate": "Cleaning edge colours",
    "composite": "Compositing",
    "encode": "Encoding",
    "done": "Done",
}


def megabytes(done, total=None):
    """Bytes as '1.2 / 4.4 MB' (or '1.2 MB' when the total is unknown)."""
    if total:
        return "%.1f / %.1f MB" % (done / 1e6, total / 1e6)
    return "%.1f MB" % (done / 1e6)


def stage_text(stage, done=None, total=None):
    text = STAGES.get(stage, stage)
    if done is not None:
        text += " · " + megabytes(done, total)
    elif stage != "done":
        text += "…"
    return text


def fraction(done, total):
    """Progress bar value in [0, 1], or None for an indeterminate bar."""
    if done is None or not total:
        return None
    return min(1.0, max(0.0, done / total))


def status_line(model_id, provider, threads, reason=None):
    """'u2netp · wasm · 2 threads', then why this provider when there is a reason."""
    line = "%s · %s · %d %s" % (
        model_id,
        provider,
        threads,
        "thread" if threads == 1 else "threads",
    )
    why = provider_choice.reason_text(reason)
    return line + " · " + why if why else line


def timings_text(timings):
    """{'decode': 12.3, 'run': 830} -> 'decode 12 ms · run 830 ms' in a fixed order."""
    order = ("decode", "resize", "pixels", "run", "refine", "decontaminate", "composite", "encode")
    parts = []
    for key in order:
        if key in timings:
            parts.append("%s %d ms" % (key, int(timings[key] + 0.5)))
    return " · ".join(parts)
