"""The model catalog (models/catalog.json, written by the build) as plain dicts."""

from shared import geometry, i18n
from shared.i18n import Message

_REQUIRED = ("id", "name", "size", "file", "bytes", "sha256")
# The build's helper graphs, run around the segmentation model (catalog.json's "graphs"):
# name -> the run-time settings the worker needs of it, written beside its file by the build.
# Adding a graph: one entry here, its builder in bgzero/site.py, its stage in stages.py.
GRAPHS = {
    "prepare": (),
    "mirror": (),
    "mix": (),
    "refine": ("guide",),
    "decontaminate": ("coarse", "wide", "narrow", "soften"),
}
# Graphs around a model the user brings (shared/own_model.py), loaded with its session.
OWN_GRAPHS = {"normaliser": (), "finisher": ()}
_GRAPH_FIELDS = ("file", "bytes", "sha256")
# A model's files (its ONNX graphs and the LiteRT.js graph of one) live under models/ with
# their content hash in the name: the server sends them immutable, the service worker keeps
# them on first use instead of at install, and the page asks it to keep those it loaded first.
# One rule for all three (sw.js gets these suffixes written in by the build).
MODEL_DIR = "models/"
MODEL_SUFFIXES = (".onnx", ".tflite")


class CatalogError(ValueError):
    pass


def is_model_file(path):
    """Whether a path (relative to the site's root) is one of the build's model files."""
    path = str(path)
    return path.startswith(MODEL_DIR) and any(path.endswith(s) for s in MODEL_SUFFIXES)


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
    for m in models:  # "Best quality": two models of the catalog, mixed (bgzero/graphs/mix.py)
        parts = m.get("parts")
        if parts is not None and (
            not isinstance(parts, list)
            or len(parts) != 2
            or any(p not in seen or p == m["id"] for p in parts)
        ):
            raise CatalogError("catalog: model %r has bad parts" % m["id"])
    if not models:
        raise CatalogError("catalog: no models")
    default = data.get("default")
    if default not in seen:
        default = models[0]["id"]
    graphs = data.get("graphs")
    if not isinstance(graphs, dict):
        raise CatalogError("catalog: 'graphs' missing")
    for name, settings in list(GRAPHS.items()) + list(OWN_GRAPHS.items()):
        graph = graphs.get(name)
        if not isinstance(graph, dict):
            raise CatalogError("catalog: %r graph missing" % name)
        for key in _GRAPH_FIELDS + settings:
            if key not in graph:
                raise CatalogError("catalog: graph %r lacks %r" % (name, key))
    return {"default": default, "models": models, "graphs": graphs}


def find(catalog, model_id):
    """The model dict with this id, or None."""
    for m in catalog["models"]:
        if m["id"] == model_id:
            return m
    return None


def pick(catalog, wanted=None):
    """The wanted model if the catalog has it, else the default one."""
    return find(catalog, wanted) or find(catalog, catalog["default"])


def menu(catalog):
    """(first, more): the model menu's plain choices, the default (Fast) and the pair (Best
    quality), then the other models, lightest first."""
    models = catalog["models"]
    first = [pick(catalog)] + [m for m in models if m.get("parts")]
    more = sorted((m for m in models if m not in first), key=lambda m: m["bytes"])
    return first, more


def label(model):
    """The Message of a model's <option>: name, download size, and why to choose it (the
    plain choices) or its licence."""
    size = i18n.size(model["bytes"])
    key = "model.name." + model["id"]  # a name in the user's language, where there is one
    english = i18n.table(i18n.DEFAULT)
    name = Message(key) if key in english else model["name"]
    why = "model.why." + model["id"]
    if why in english:
        return Message("model.option_why", name=name, size=size, why=Message(why))
    if model.get("licence"):
        return Message("model.option_licence", name=name, size=size, licence=model["licence"])
    return Message("model.option", name=name, size=size)


def _file_spec(entry, url_of):
    """A built file the worker fetches and checks: its URL (`url_of(file)`), size, sha256."""
    return {"url": url_of(entry["file"]), "bytes": entry["bytes"], "sha256": entry["sha256"]}


def spec(model, url, url_of=None):
    """What the worker needs to load a model; `url` is model["file"] made absolute, and
    `url_of` makes its LiteRT.js graph's file absolute where it has one."""
    if model.get("parts"):
        raise CatalogError("catalog: %r is two models: use pair_spec" % model["id"])
    litert = model.get("litert")
    litert = _file_spec(litert, url_of) if litert and url_of is not None else None
    return {
        "litert": litert,
        "id": model["id"],
        "url": url,
        "size": model["size"],
        "bytes": model["bytes"],
        "sha256": model["sha256"],
        "fit": model.get("fit", "stretch"),
        "min_size": model.get("min_size", 0),
        "size_step": model.get("size_step", 64),
        "any_size": bool(model.get("any_size")),
    }


def wanted_fit(param):
    """The fit a `?fit=` parameter asks for (stretch, letterbox or aspect), else None."""
    return param if param in geometry.ALL_FITS else None


def with_fit(spec, fit):
    """`spec` (spec() or pair_spec()'s) with its first model meeting the photo by `fit`
    (?fit=, for measuring a fit no card ships yet), where that model's graph can take it:
    the aspect fit needs a graph that runs at any size. None leaves the card's."""
    part = spec["parts"][0] if spec.get("parts") else spec
    if fit is not None and (fit != geometry.ASPECT or part.get("any_size")):
        part["fit"] = fit
    return spec


def pair_spec(catalog, model, url_of):
    """What the worker needs of "Best quality" (a model with two parts): each part's spec,
    the first at the pair's size rule (fixed or adaptive), the second at the pair's fit, and
    whether the first also runs on its square seen in a mirror."""
    first, second = [find(catalog, p) for p in model["parts"]]
    specs = [spec(m, url_of(m["file"]), url_of) for m in (first, second)]
    specs[0]["min_size"] = model.get("min_size", 0)
    specs[1]["fit"] = model.get("partner_fit", specs[1]["fit"])
    return {"id": model["id"], "parts": specs, "flip": bool(model.get("flip"))}


def graph_spec(catalog, name, url_of):
    """What the worker needs to load one of the build's helper graphs and run it: its file
    (made absolute by `url_of(file)`), hash and run-time settings, and its row route's graphs
    (a large photo's: "rows", by part) where it has one. The worker keeps their sessions by
    sha256."""
    graph = catalog["graphs"][name]
    spec = _file_spec(graph, url_of)
    spec.update((key, graph[key]) for key in GRAPHS.get(name, ()))
    rows = graph.get("rows")
    if rows:
        spec["rows"] = {part: _file_spec(g, url_of) for part, g in rows.items()}
    return spec


def graph_specs(catalog, model, url_of, full_size):
    """{name: spec or None} of the helper graphs a cut with this model runs; `url_of(file)`
    makes a file absolute. Refinement runs when the model's settings say so; colour
    decontamination also needs the photo at full size in the worker (else there would be
    fewer pixels to hand back than the user gave: the cut-out keeps the photo's colours, as
    `bgzero remove` does)."""
    refine = bool(model.get("refine"))
    used = {
        "prepare": True,
        "mirror": bool(model.get("parts")) and bool(model.get("flip")),
        "mix": bool(model.get("parts")),
        "refine": refine,
        "decontaminate": refine and bool(model.get("decontaminate")) and full_size,
    }
    return {name: graph_spec(catalog, name, url_of) if used[name] else None for name in GRAPHS}


def own_spec(catalog, model, url_of):
    """What the worker needs of a model the user brings, beside spec(): its normalisation
    and the graphs around it (its bytes travel with the "load" request)."""
    own = model["own"]
    spec = {"mean": own["mean"], "std": own["std"]}
    for name in OWN_GRAPHS:  # (no {**...} in MicroPython)
        spec[name] = graph_spec(catalog, name, url_of)
    return spec


def graph_files(catalog, model):
    """The files a cut-out with this model loads, for the offline cache."""
    graphs = []
    for name in list(GRAPHS) + list(OWN_GRAPHS):
        graph = catalog["graphs"][name]
        graphs.append(graph["file"])
        graphs += [g["file"] for g in (graph.get("rows") or {}).values()]
    models = [find(catalog, p) for p in model.get("parts") or ()] or [model]
    files = [m["file"] for m in models if m.get("file")]
    # A LiteRT.js graph too: which runtime a visit ends on is only known in the worker.
    return files + [m["litert"]["file"] for m in models if m.get("litert")] + graphs
