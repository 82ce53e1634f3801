"""The model catalog (models/catalog.json, written by the build) as plain dicts."""

_REQUIRED = ("id", "name", "size", "file", "bytes", "sha256")
# The build's helper graphs, run around the segmentation model.
GRAPHS = ("prepare", "refiner", "decontaminator")


class CatalogError(ValueError):
    pass


def parse(data):
    """Validate the decoded catalog.json dict; return {'default': id, 'models': [...]}."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise CatalogError("catalog: 'models' list missing")
    models = []
    seen = set()
    for m in data["models"]:
        if not isinstance(m, dict):
            raise CatalogError("catalog: model entry is not an object")
        for key in _REQUIRED:
            if key not in m:
                raise CatalogError("catalog: model %r lacks %r" % (m.get("id"), key))
        if m["id"] in seen:
            raise CatalogError("catalog: duplicate model id %r" % m["id"])
        if not (isinstance(m["size"], int) and m["size"] > 0):
            raise CatalogError("catalog: model %r has a bad size" % m["id"])
        seen.add(m["id"])
        models.append(m)
    if not models:
        raise CatalogError("catalog: no models")
    default = data.get("default")
    if default not in seen:
        default = models[0]["id"]
    for graph in GRAPHS:
        if not isinstance(data.get(graph), dict):
            raise CatalogError("catalog: %r graph missing" % graph)
    parsed = {"default": default, "models": models}
    parsed.update((graph, data[graph]) for graph in GRAPHS)
    return parsed


def find(catalog, model_id):
    """The model dict with this id, or None."""
    for m in catalog["models"]:
        if m["id"] == model_id:
            return m
    return None


def pick(catalog, wanted=None):
    """The wanted model if the catalog has it, else the default one."""
    return find(catalog, wanted) or find(catalog, catalog["default"])


def label(model):
    """Text of a model's <option>: name, download size and licence."""
    text = "%s (%.1f MB)" % (model["name"], model["bytes"] / 1e6)
    if model.get("licence"):
        text += " · " + model["licence"]
    return text


def spec(model, url):
    """What the worker needs to load a model; `url` is model["file"] made absolute."""
    return {"id": model["id"], "url": url, "size": model["size"],
            "bytes": model["bytes"], "sha256": model["sha256"],
            "fit": model.get("fit", "stretch")}


def graph_spec(graph, url, *settings):
    """What the worker needs to load one of the build's helper graphs (prepare, refine,
    decontaminate), plus the named run-time settings of it; the worker keeps their sessions
    by sha256."""
    spec = {"url": url, "bytes": graph["bytes"], "sha256": graph["sha256"]}
    spec.update((key, graph[key]) for key in settings)
    return spec


def refiner_spec(catalog, model, url):
    """The refinement graph's spec when this model's settings use it, else None."""
    if not model.get("refine"):
        return None
    return graph_spec(catalog["refiner"], url, "guide")


def decontaminator_spec(catalog, model, url, full_size):
    """The colour decontamination graph's spec when this model's settings use it and the
    worker gets the photo at full size (else there would be fewer pixels to hand back than
    the user gave: the cut-out keeps the photo's colours, as `bgzero remove` does)."""
    if not (model.get("refine") and model.get("decontaminate") and full_size):
        return None
    return graph_spec(catalog["decontaminator"], url, "coarse")
