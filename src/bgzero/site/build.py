"""Assemble dist/: static pages, browser Python, runtime files, built models, a manifest."""

import gzip
import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from bgzero.graphs.decontaminate import DEFAULT as DECONTAMINATE_DEFAULT
from bgzero.graphs.decontaminate import (
    build_decontaminate,
    build_decontaminate_apply,
    build_decontaminate_grids,
    build_decontaminate_low,
)
from bgzero.graphs.mix import DEFAULT as MIX_DEFAULT
from bgzero.graphs.mix import build_mirror, build_mix
from bgzero.graphs.own_graphs import build_finisher, build_normaliser
from bgzero.graphs.prepare import build_prepare, build_prepare_finish, build_prepare_narrow
from bgzero.graphs.refine import DEFAULT as REFINE_DEFAULT
from bgzero.graphs.refine import (
    build_refine,
    build_refine_apply,
    build_refine_fit,
    build_refine_low,
)
from bgzero.models import assets, litert
from bgzero.models.browser_model import build_model_bytes
from bgzero.models.cards import Card, best_card, load_cards
from bgzero.native.pipeline import model_source
from bgzero.repo import ROOT
from bgzero.site import pages as site_pages
from bgzero.site.icons import write_icons
from bgzero.site.runtime import ON_DEMAND, ORT_PACKAGE, copy_runtime, ort_on_demand
from bgzero.site.samples import write_samples
from bgzero.site.web_python import copy_web_python
from bgzero.web_shared import catalog, geometry, i18n

# Served precompressed so the transfer is small and still has a Content-Length.
COMPRESS = {".js", ".mjs", ".wasm", ".css", ".html", ".json", ".py", ".toml"}
MANIFEST = "manifest.json"
EMBED_CONFIG = "embed.json"  # parent origins the embed page answers (src/web/embed.py)
SERVICE_WORKER = "sw.js"


def model_file(name: str, built: bytes, suffix: str = ".onnx") -> str:
    return f"models/{name}-{assets.sha256(built)[:12]}{suffix}"


def write_hashed(dist: Path, name: str, data: bytes, suffix: str = ".onnx") -> dict:
    path = model_file(name, data, suffix)
    (dist / path).parent.mkdir(parents=True, exist_ok=True)
    (dist / path).write_bytes(data)
    return {"file": path, "bytes": len(data), "sha256": assets.sha256(data)}


def build_models(cards: dict[str, Card], dist: Path, cache: Path) -> list[dict]:
    catalog = []
    for card in cards.values():
        built = build_model_bytes(card, model_source(card, cache))
        digest = assets.sha256(built)
        if card.built_sha256 and digest != card.built_sha256:
            raise assets.AssetError(
                f"built {card.id} has sha256 {digest}, model card {card.path.name} says "
                f"{card.built_sha256}: the builder or its onnx version changed"
            )
        catalog.append(
            {
                "id": card.id,
                "name": card.name,
                "size": card.size,
                "min_size": card.min_size if card.adaptive else 0,  # the worker's size rule
                "any_size": card.min_size > 0,  # its graph runs at other sizes (the aspect fit)
                "size_step": card.size_step,
                "licence": card.licence,
                "default": card.default,
                "fit": card.fit,
                "refine": card.refine,
                "decontaminate": card.decontaminate,
                **write_hashed(dist, card.id, built),
            }
        )
        if card.litert:  # the same graph for LiteRT.js, the worker's second CPU runtime
            catalog[-1]["litert"] = write_hashed(
                dist, card.id, litert.convert(card, built, cache), ".tflite"
            )
    return catalog


# The "Best quality" entry of catalog.json: two models of the catalog, mixed (mix.py).
PAIR_ID = "best"


def pair_entry(cards: dict[str, Card], catalog: list[dict]) -> dict | None:
    """The catalog's "Best quality" model: the [best] card's model and its partner, both
    built; None when the build has no such pair."""
    card = best_card(cards)
    built = {m["id"]: m for m in catalog}
    if card is None or card.best["partner"] not in built:
        return None
    first, second = built[card.id], built[card.best["partner"]]
    return {
        "id": PAIR_ID,
        "name": f"Best quality ({first['name']} + {second['name']})",
        "parts": [first["id"], second["id"]],
        "size": first["size"],
        "min_size": card.min_size if card.best["adaptive"] else 0,
        "size_step": first["size_step"],
        "licence": card.licence,
        "default": False,
        "fit": first["fit"],
        "refine": True,
        "decontaminate": card.decontaminate,
        "flip": card.best["flip"],
        "partner_fit": card.best["partner_fit"],
        "file": None,
        "bytes": first["bytes"] + second["bytes"],
        "sha256": None,
    }


def build_mix_file(dist: Path) -> dict:
    card = best_card(load_cards())
    mix = card.best if card else {**MIX_DEFAULT, "mix": MIX_DEFAULT["mode"]}
    graph = build_mix(mix["mix"], mix["weight"], mix["flip"]).SerializeToString()
    return write_hashed(dist, "mix", graph)


def build_mirror_file(dist: Path) -> dict:
    return write_hashed(dist, "mirror", build_mirror().SerializeToString())


def _row_route(dist: Path, name: str, graphs: dict) -> dict:
    """The "rows" of a graph's entry: its row route's graphs (a large photo's), by part."""
    return {
        part: write_hashed(dist, f"{name}-{part}", graph.SerializeToString())
        for part, graph in graphs.items()
    }


def build_prepare_file(dist: Path) -> dict:
    rows = {"narrow": build_prepare_narrow(), "finish": build_prepare_finish()}
    return {
        **write_hashed(dist, "prepare", build_prepare().SerializeToString()),
        "rows": _row_route(dist, "prepare", rows),
    }


def build_refine_file(dist: Path) -> dict:
    params = {k: REFINE_DEFAULT[k] for k in ("radius", "eps", "sharpen")}
    graph = build_refine(**params).SerializeToString()
    rows = {
        "low": build_refine_low(),
        "fit": build_refine_fit(params["radius"], params["eps"]),
        "apply": build_refine_apply(params["sharpen"]),
    }
    return {
        **write_hashed(dist, "refine", graph),
        "guide": REFINE_DEFAULT["guide"],
        "max_pixels": geometry.REFINE_MAX_PIXELS,
        "rows": _row_route(dist, "refine", rows),
    }


def build_decontaminate_file(dist: Path) -> dict:
    graph = build_decontaminate(**DECONTAMINATE_DEFAULT).SerializeToString()
    settings = {k: DECONTAMINATE_DEFAULT[k] for k in ("coarse", "wide", "narrow", "soften")}
    rows = {
        "low": build_decontaminate_low(),
        "grids": build_decontaminate_grids(**DECONTAMINATE_DEFAULT),
        "apply": build_decontaminate_apply(),
    }
    return {
        **write_hashed(dist, "decontaminate", graph),
        **settings,
        "rows": _row_route(dist, "decontaminate", rows),
    }


def build_normaliser_file(dist: Path) -> dict:
    return write_hashed(dist, "normaliser", build_normaliser().SerializeToString())


def build_finisher_file(dist: Path) -> dict:
    return write_hashed(dist, "finisher", build_finisher().SerializeToString())


# The helper graphs of catalog.json (src/web/shared/catalog.py's GRAPHS and OWN_GRAPHS):
# name -> builder of its file and run-time settings.
GRAPH_FILES = {
    "prepare": build_prepare_file,
    "mix": build_mix_file,
    "mirror": build_mirror_file,
    "refine": build_refine_file,
    "decontaminate": build_decontaminate_file,
    "normaliser": build_normaliser_file,
    "finisher": build_finisher_file,
}


def _origin(card: Card, cards: dict[str, Card]) -> str:
    """Where a model's weights come from: a registry package, or the card it is made from."""
    src = card.source
    if src["registry"] == "derived":
        base = cards.get(src["from"]) or load_cards()[src["from"]]
        return f"{_origin(base, cards)}, quantised by bgzero"
    return f"{src['package']} {src['version']}"


def shipped_models(catalog: list[dict], cards: dict[str, Card]) -> list[dict]:
    """Each model file in dist/: its id, where its weights come from, licence, sha256."""
    return [
        {
            "id": m["id"],
            "source": _origin(cards[m["id"]], cards),
            "licence": cards[m["id"]].licence,
            "sha256": m["sha256"],
        }
        for m in catalog
    ]


def write_app_manifests(dist: Path) -> None:
    """The installed app's name and description in each language, from the text tables:
    manifest.webmanifest (English) and manifest-<lang>.webmanifest, which the page links
    when it shows that language."""
    base = json.loads((ROOT / "static" / "manifest.webmanifest").read_text())
    for lang in i18n.LANGS:
        manifest = dict(base)
        manifest["lang"] = i18n.HTML_LANG[lang]
        manifest["name"] = i18n.render(lang, "manifest.name")
        manifest["description"] = i18n.render(lang, "manifest.description")
        suffix = "" if lang == i18n.DEFAULT else f"-{lang}"
        text = json.dumps(manifest, indent=1, ensure_ascii=False)
        (dist / f"manifest{suffix}.webmanifest").write_text(text, encoding="utf-8")


def compress(dist: Path) -> None:
    for path in sorted(dist.rglob("*")):
        if path.is_file() and path.suffix in COMPRESS:
            data = path.read_bytes()
            packed = gzip.compress(data, compresslevel=6, mtime=0)
            if len(packed) < len(data) * 0.9:
                path.with_name(path.name + ".gz").write_bytes(packed)


def write_manifest(dist: Path) -> dict:
    files = {}
    for path in sorted(dist.rglob("*")):
        if path.is_file() and path.suffix != ".gz" and path.name != SERVICE_WORKER:
            data = path.read_bytes()
            files[path.relative_to(dist).as_posix()] = {
                "sha256": assets.sha256(data),
                "size": len(data),
            }
    version = assets.sha256(json.dumps(files, sort_keys=True).encode())[:16]
    manifest = {"version": version, "files": files}
    (dist / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def write_service_worker(dist: Path, manifest: dict, on_demand: list[str]) -> None:
    files = sorted(manifest["files"])
    later = ON_DEMAND + tuple(on_demand)
    precache = [f for f in files if not (catalog.is_model_file(f) or f.startswith(later))]
    template = (dist / SERVICE_WORKER).read_text()
    worker = (
        template.replace("__VERSION__", manifest["version"])
        .replace("__FILES__", json.dumps(files))
        .replace("__PRECACHE__", json.dumps(precache))
        .replace("__MODEL_DIR__", json.dumps(catalog.MODEL_DIR))
        .replace("__MODEL_SUFFIXES__", json.dumps(list(catalog.MODEL_SUFFIXES)))
    )
    (dist / SERVICE_WORKER).write_text(worker)


def restamp(dist: Path, cache: Path | None = None) -> dict:
    """Seal a built dist/ again after some of its files changed (a host's post-processing,
    or the update tests' second build): compressed copies, manifest and service worker."""
    for packed in dist.rglob("*.gz"):
        if packed.with_suffix("").is_file():
            packed.unlink()
    (dist / MANIFEST).unlink(missing_ok=True)
    shutil.copyfile(ROOT / "static" / SERVICE_WORKER, dist / SERVICE_WORKER)
    manifest = write_manifest(dist)
    modules = assets.npm_modules(cache or assets.cache_dir(), ROOT)
    write_service_worker(dist, manifest, ort_on_demand(modules / ORT_PACKAGE))
    compress(dist)
    return manifest


def embed_origin(text: str) -> str:
    """An allowed parent origin in the exact form of MessageEvent.origin, which the embed
    page compares it with: 'HTTPS://Example.com:443/' -> 'https://example.com'."""
    parts = urlsplit(text.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or port == -1
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "*" in text
    ):
        raise ValueError(
            f"{text!r} is not an origin like https://example.com or http://127.0.0.1:8080"
        )
    scheme = parts.scheme.lower()
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port not in (None, default) else "")


def build(
    dist: Path,
    cache: Path | None = None,
    model_ids: list[str] | None = None,
    embed_origins: list[str] | None = None,
) -> dict:
    """Build into a sibling folder, then swap it in, so a failed build leaves dist/ intact."""
    origins = list(dict.fromkeys(embed_origin(o) for o in embed_origins or []))
    cache = cache or assets.cache_dir()
    cards = load_cards()
    if model_ids:
        unknown = set(model_ids) - set(cards)
        if unknown:
            raise assets.AssetError(f"unknown model ids: {sorted(unknown)}")
        cards = {i: c for i, c in cards.items() if i in model_ids or c.default}
    staging = dist.with_name(dist.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        catalog = build_models(cards, staging, cache)
        pair = pair_entry(cards, catalog)
        modules = assets.npm_modules(cache, ROOT)
        packages = copy_runtime(modules, staging)
        default = next(m["id"] for m in catalog if m["default"])
        graphs = {name: build(staging) for name, build in GRAPH_FILES.items()}
        listed = catalog + ([pair] if pair else [])
        (staging / "models" / "catalog.json").write_text(
            json.dumps({"default": default, "models": listed, "graphs": graphs}, indent=1)
        )
        shutil.copytree(
            ROOT / "static",
            staging,
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("licences.html", "_*.html"),
        )
        copy_web_python(staging)
        samples = write_samples(staging)
        npm = site_pages.npm_closure(modules, sorted({p["name"] for p in packages}))
        site_pages.write_licences(staging, npm, shipped_models(catalog, cards), samples)
        site_pages.frame_pages(staging)
        site_pages.write_source_archive(staging)
        write_app_manifests(staging)
        (staging / EMBED_CONFIG).write_text(json.dumps({"origins": origins}, indent=1))
        write_icons(staging / "icons")
        manifest = write_manifest(staging)
        write_service_worker(staging, manifest, ort_on_demand(modules / ORT_PACKAGE))
        compress(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(dist, ignore_errors=True)
    staging.rename(dist)
    return manifest
