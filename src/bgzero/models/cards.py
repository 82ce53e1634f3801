"""Model cards: one TOML file per model under models/ (installed as bgzero.model_cards), the
single source of its facts."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from bgzero.package_data import CARDS as CARDS_DIR
from bgzero.web_shared import geometry


@dataclass(frozen=True)
class Card:
    id: str
    name: str
    default: bool
    licence: str
    size: int
    output: str
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    source: dict
    built_sha256: str | None
    path: Path
    # The smallest working size the built model runs at (geometry.working_size): 0 = only
    # `size`. Whether the app's default setting uses it is `adaptive` ([settings]).
    min_size: int = 0
    size_step: int = 64
    fit: str = "stretch"  # default settings, chosen from `bgzero eval` (docs/quality.md)
    refine: bool = False
    decontaminate: bool = False
    adaptive: bool = False  # the working size follows the photo (min_size..size) or is fixed
    # "Best quality" ([best]): this model's mask mixed with a partner model's (mix.py), at
    # a fixed or adaptive size; {} where the card has none. One card at most has it.
    best: dict | None = None
    # [litert]: the built graph converted for LiteRT.js (models/litert.py), {sha256, bytes};
    # None where the browser runs this model on onnxruntime-web only.
    litert: dict | None = None

    @property
    def source_sha256(self) -> str:
        return self.source["sha256"]


def load_card(path: Path) -> Card:
    data = tomllib.loads(path.read_text())
    settings = data.get("settings", {})
    if settings.get("decontaminate") and not settings.get("refine"):
        # the browser decontaminates the refined alpha only: both sides must agree
        raise ValueError(f"{path.name}: decontaminate needs refine")
    size, min_size = int(data["size"]), int(data.get("min_size", 0))
    step = int(data.get("size_step", 64))
    if min_size and not (0 < min_size <= size and min_size % step == 0 and size % step == 0):
        raise ValueError(f"{path.name}: min_size ≤ size, both multiples of size_step")
    fit = settings.get("fit", "stretch")
    if fit not in geometry.ALL_FITS:
        raise ValueError(f"{path.name}: fit is one of {', '.join(geometry.ALL_FITS)}")
    if fit == geometry.ASPECT and not min_size:
        raise ValueError(
            f"{path.name}: the aspect fit needs a graph that runs at any size (min_size)"
        )
    return Card(
        id=data["id"],
        name=data["name"],
        default=bool(data.get("default", False)),
        licence=data["licence"],
        size=size,
        output=data["output"],
        mean=tuple(data["normalise"]["mean"]),
        std=tuple(data["normalise"]["std"]),
        source=data["source"],
        built_sha256=data.get("built", {}).get("sha256"),
        path=path,
        min_size=min_size,
        size_step=step,
        fit=fit,
        refine=bool(settings.get("refine", False)),
        decontaminate=bool(settings.get("decontaminate", False)),
        adaptive=_adaptive(path, settings, min_size),
        best=_best(path, data.get("best", {}), bool(settings.get("refine"))),
        litert=_litert(path, data.get("litert")),
    )


def _litert(path: Path, litert: dict | None) -> dict | None:
    if litert is None:
        return None
    if set(litert) != {"sha256", "bytes"}:
        raise ValueError(f"{path.name}: [litert] has sha256 and bytes")
    return {"sha256": str(litert["sha256"]), "bytes": int(litert["bytes"])}


def _adaptive(path: Path, settings: dict, min_size: int) -> bool:
    adaptive = bool(settings.get("adaptive", min_size > 0))
    if adaptive and not min_size:
        raise ValueError(f"{path.name}: an adaptive working size needs min_size")
    return adaptive


def _best(path: Path, best: dict, refine: bool) -> dict:
    if not best:
        return {}
    if not refine:
        raise ValueError(f"{path.name}: [best] mixes before the refinement, which it needs")
    keys = {"partner", "partner_fit", "mix", "weight", "adaptive", "flip"}
    if set(best) != keys:
        raise ValueError(f"{path.name}: [best] has {', '.join(sorted(keys))}")
    if best["partner_fit"] not in geometry.FITS:  # the partner's graph may be a fixed square
        raise ValueError(f"{path.name}: [best] partner_fit is one of {', '.join(geometry.FITS)}")
    return {
        "partner": str(best["partner"]),
        "partner_fit": str(best["partner_fit"]),
        "mix": str(best["mix"]),
        "weight": float(best["weight"]),
        "adaptive": bool(best["adaptive"]),
        "flip": bool(best["flip"]),
    }


def load_cards(directory: Path = CARDS_DIR) -> dict[str, Card]:
    cards = {c.id: c for c in map(load_card, sorted(directory.glob("*.toml")))}
    defaults = [c.id for c in cards.values() if c.default]
    if len(defaults) != 1:
        raise ValueError(f"exactly one model card must be the default, found {defaults}")
    best = [c for c in cards.values() if c.best]
    if len(best) > 1:
        raise ValueError(f"at most one card has [best], found {[c.id for c in best]}")
    for card in best:
        if card.best["partner"] not in cards or card.best["partner"] == card.id:
            raise ValueError(f"{card.id}: [best] partner {card.best['partner']!r} is no other card")
    return cards


def best_card(cards: dict[str, Card]) -> Card | None:
    """The card whose [best] makes "Best quality", if any."""
    return next((c for c in cards.values() if c.best), None)


def default_card(cards: dict[str, Card]) -> Card:
    return next(c for c in cards.values() if c.default)
