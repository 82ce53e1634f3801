"""`bgzero remove --model-file F.onnx`: a model the user brings, checked by the page's own
rules (shared/own_model.py, shared/onnx_info.py) and run between the same graphs."""

import hashlib
from pathlib import Path

import numpy as np

from bgzero.models.browser_model import INPUT
from bgzero.models.cards import Card
from bgzero.native import pipeline
from bgzero.native.settings import register
from bgzero.web_shared import onnx_info, own_model


def load(
    path: Path,
    preset: str = own_model.DEFAULT_PRESET,
    size: int | None = None,
    mean: list[float] | None = None,
    std: list[float] | None = None,
) -> Card:
    """The card of the model in `path`, registered with the pipeline. Raises
    own_model.OwnModelError (or onnx_info.OnnxError) with a message for the user."""
    try:
        source = path.read_bytes()
    except OSError as error:
        raise own_model.OwnModelError("text", text=f"{path}: {error.strerror or error}") from None
    own_model.check_bytes(len(source))
    info = onnx_info.read(source.__getitem__, len(source))
    settled = own_model.settle(info, preset, size, mean, std)
    sha256 = hashlib.sha256(source).hexdigest()
    # Sessions are cached by card id: other settings of the same file are another card.
    settings = repr((settled["size"], settled["mean"], settled["std"])).encode()
    card = Card(
        id=f"own-{sha256[:12]}-{hashlib.sha256(settings).hexdigest()[:8]}",
        name=path.name,
        default=False,
        licence=str(own_model.LICENCE_NOTE),
        size=settled["size"],
        output=settled["output"]["name"],
        mean=tuple(settled["mean"]),
        std=tuple(settled["std"]),
        source={"registry": "file", "path": str(path), "sha256": sha256},
        built_sha256=None,
        path=path,
        fit="letterbox",
        refine=True,
        decontaminate=True,
    )
    register(card, source)
    # Its output is only known once it ran (as in the page): once, on a grey square.
    grey = np.full((1, card.size, card.size, 4), 128, np.uint8)
    try:
        pipeline.session(card.id).run(None, {INPUT: grey})
    except Exception as error:
        raise own_model.OwnModelError("own.failed", detail=str(error)) from None
    return card
