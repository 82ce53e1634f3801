"""Model cards: one TOML file per model under models/, the single source of its facts."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

CARDS_DIR = Path(__file__).resolve().parents[2] / "models"


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
    # Adaptive working size (geometry.working_size): 0 = always `size`.
    min_size: int = 0
    size_step: int = 64
    fit: str = "stretch"  # default settings, chosen from `bgzero eval` (docs/quality.md)
    refine: bool = False
    decontaminate: bool = False

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
        fit=settings.get("fit", "stretch"),
        refine=bool(settings.get("refine", False)),
        decontaminate=bool(settings.get("decontaminate", False)),
    )


def load_cards(directory: Path = CARDS_DIR) -> dict[str, Card]:
    cards = {c.id: c for c in map(load_card, sorted(directory.glob("*.toml")))}
    defaults = [c.id for c in cards.values() if c.default]
    if len(defaults) != 1:
        raise ValueError(f"exactly one model card must be the default, found {defaults}")
    return cards


def default_card(cards: dict[str, Card]) -> Card:
    return next(c for c in cards.values() if c.default)
