"""A segmentation model the user brings (an .onnx file): presets for the common ones, the
checks that turn a file into a model entry like the catalog's, and the messages a person
reads when it cannot be used. Pure: the page (own_model_picker.py) and `bgzero remove
--model-file` share it.

The model must take one float32 image [1, 3, S, S] (S fixed, or free and taken from the
preset) and give one float32 map of S² values; the app's own graphs do the rest (prepare,
normalise, finish, refine, decontaminate).
"""

from shared import i18n

IMAGENET = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225]}
HALF = {"mean": [0.5, 0.5, 0.5], "std": [1.0, 1.0, 1.0]}
PRESETS = {
    "rmbg-1.4": dict(label="RMBG-1.4", size=1024, **HALF),
    "isnet": dict(label="IS-Net (DIS)", size=1024, **HALF),
    "u2net": dict(label="U²-Net", size=320, **IMAGENET),
    "birefnet": dict(label="BiRefNet", size=1024, **IMAGENET),
}
ORDER = ("rmbg-1.4", "isnet", "u2net", "birefnet")  # MicroPython's dicts keep no order
DEFAULT_PRESET = ORDER[0]
MAX_BYTES = 1 << 30  # a tab has 4 GB of WebAssembly memory: the model, its session, a photo
MIN_SIZE = 64
MAX_SIZE = 2048
LICENCE_NOTE = i18n.Message("own.licence")


class OwnModelError(i18n.Problem):
    """A message (key and parameters) for the person who chose the file."""


def check_bytes(size):
    if size == 0:
        raise OwnModelError("own.empty")
    if size > MAX_BYTES:
        raise OwnModelError("own.too_big", size=i18n.size(size), limit=MAX_BYTES >> 30)


def shape_text(dims):
    """[1, 3, 1024, 1024], with ? for a free dimension (and None: unknown rank)."""
    if dims is None:
        return "?"
    return "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]"


def settle(info, preset_id=DEFAULT_PRESET, size=None, mean=None, std=None):
    """The run settings of a model whose onnx_info is `info`: {"size", "mean", "std",
    "input", "output"}. A size fixed by the model wins over the preset's; `size`, `mean` and
    `std` override the preset. Raises OwnModelError with what is wrong."""
    preset = PRESETS.get(preset_id)
    if preset is None:
        raise OwnModelError("own.unknown_preset", preset=repr(preset_id), presets=list(ORDER))
    inputs, outputs = info["inputs"], info["outputs"]
    if len(inputs) != 1:
        raise OwnModelError("own.inputs", n=len(inputs))
    if not outputs:
        raise OwnModelError("own.no_output")
    image = inputs[0]
    if image["type"] != "float32":
        raise OwnModelError("own.input_type", type=image["type"] or "?")
    dims = image["dims"]
    if dims is None or len(dims) != 4 or dims[1] not in (3, None) or dims[0] not in (1, None):
        raise OwnModelError("own.input_shape", shape=shape_text(dims))
    fixed = [d for d in dims[2:] if isinstance(d, int)]
    if len(fixed) == 2 and fixed[0] != fixed[1]:
        raise OwnModelError("own.not_square", width=fixed[1], height=fixed[0])
    if fixed:
        if size is not None and size != fixed[0]:
            raise OwnModelError("own.fixed", fixed=fixed[0], size=size)
        size = fixed[0]
    size = preset["size"] if size is None else size
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise OwnModelError("own.size_range", size=size, low=MIN_SIZE, high=MAX_SIZE)
    output = outputs[0]
    if output["type"] not in ("float32", None):
        raise OwnModelError("own.output_type", type=output["type"])
    mean = list(preset["mean"] if mean is None else mean)
    std = list(preset["std"] if std is None else std)
    if len(mean) != 3 or len(std) != 3 or min(std) <= 0:
        raise OwnModelError("own.normalisation")
    return {"size": size, "mean": mean, "std": std, "input": image, "output": output}


def guess_preset(info):
    """The preset whose size matches the model's fixed input size, else the default."""
    try:
        size = settle(info)["size"]
    except OwnModelError:
        return DEFAULT_PRESET
    for preset_id in ORDER:
        if PRESETS[preset_id]["size"] == size:
            return preset_id
    return DEFAULT_PRESET


def entry(name, sha256, nbytes, settled, preset_id):
    """A model dict like the catalog's (shared/catalog.py), for a file held on the device.
    Its id names the file and the settings, so a change of preset makes a new session."""
    return {
        "id": "own-%s-%s-%d" % (sha256[:12], preset_id, settled["size"]),
        "name": name,
        "size": settled["size"],
        "file": None,
        "bytes": nbytes,
        "sha256": sha256,
        "fit": "letterbox",
        "refine": True,
        "decontaminate": True,
        "own": {"mean": settled["mean"], "std": settled["std"], "preset": preset_id},
    }
