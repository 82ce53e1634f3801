"""How a photo becomes a mask (a Setting: the model, its fit and size rule, the refinement,
the "Best quality" partner), and which card a model id names: the catalog's, or a model the
user brought (`bgzero remove --model-file`)."""

from dataclasses import dataclass, replace

from bgzero.graphs.mix import DEFAULT as MIX_DEFAULT
from bgzero.graphs.refine import DEFAULT as REFINE_DEFAULT
from bgzero.models.cards import Card, load_cards

# "Best quality" by name, as the page's catalog and the embed API call it (site.PAIR_ID).
BEST = "best"


# Models the user brought (bgzero remove --model-file): card id -> (card, the file's bytes).
_OWN: dict[str, tuple[Card, bytes]] = {}


def register(card: Card, source: bytes) -> None:
    """Make a model the user brought usable by its card id, like the catalog's."""
    _OWN[card.id] = (card, source)


def registered(card_id: str | None) -> tuple[Card, bytes] | None:
    """(card, bytes) of a brought model registered under this id (for other processes)."""
    return _OWN.get(card_id) if card_id else None


def card_of(card_id: str) -> Card:
    own = _OWN.get(card_id)
    return own[0] if own else load_cards()[card_id]


@dataclass(frozen=True)
class Setting:
    """How one photo becomes a mask. The peer baseline is `Setting.baseline(model)`."""

    model: str
    # stretch | letterbox: how the photo meets the S×S input; aspect (eval only, issue 23):
    # an h×w input in the photo's proportions (geometry.aspect_size)
    fit: str = "stretch"
    downscale: str = "graph"  # graph (prepare.py, as the browser) | bilinear (Pillow)
    upscale: str = "bicubic"  # bilinear | bicubic | guided (the refinement graph)
    radius: int = 4  # guided filter, at the guide grid's resolution
    eps: float = 1e-3
    guide: int = 1024  # long side of the guide grid
    sharpen: float = 1.0  # edge steepness after refinement (1 = as filtered)
    decontaminate: bool = False  # estimate edge pixels' foreground colour (decontaminate.py)
    adaptive: bool = False  # the model's square follows the photo (card.min_size..size) or not
    # "Best quality": a second model (run with its own card's fit and size) whose mask is
    # mixed with this one's (mix.py) before the refinement.
    partner: str | None = None
    partner_fit: str = "letterbox"  # how the partner meets its square (its own card's aside)
    mix: str = MIX_DEFAULT["mode"]
    weight: float = MIX_DEFAULT["weight"]  # this model's share
    flip: bool = MIX_DEFAULT["flip"]  # this model also looks at the photo in a mirror

    @classmethod
    def baseline(cls, model: str) -> "Setting":
        return cls(model, fit="stretch", downscale="bilinear", upscale="bilinear")

    @classmethod
    def default(cls, card: Card) -> "Setting":
        """What the app and `bgzero remove` do with this model (its card's settings)."""
        adaptive = card.adaptive
        if card.refine:
            return cls(
                card.id,
                fit=card.fit,
                upscale="guided",
                **REFINE_DEFAULT,
                decontaminate=card.decontaminate,
                adaptive=adaptive,
            )
        return cls(card.id, fit=card.fit, decontaminate=card.decontaminate, adaptive=adaptive)

    @classmethod
    def best(cls, card: Card) -> "Setting":
        """ "Best quality": the card's default setting with its [best] partner and size rule."""
        best = card.best
        return cls(
            **{
                **cls.default(card).__dict__,
                "adaptive": best["adaptive"] and bool(card.min_size),
                "partner": best["partner"],
                "partner_fit": best["partner_fit"],
                "mix": best["mix"],
                "weight": best["weight"],
                "flip": best["flip"],
            }
        )

    def label(self) -> str:
        parts = [self.model, self.fit, f"in:{self.downscale}", f"out:{self.upscale}"]
        if self.upscale == "guided":
            parts.append(f"r{self.radius} eps{self.eps:g} g{self.guide} k{self.sharpen:g}")
        if self.decontaminate:
            parts.append("decontaminated")
        if self.adaptive:
            parts.append("adaptive")
        if self.partner:
            partner = self.partner_setting()
            if self.flip:
                parts.append("flip")
            parts += ["+", partner.model, partner.fit, f"{self.mix} w{self.weight:g}"]
        return " ".join(parts)

    def alone(self) -> "Setting":
        """This setting's first model on its own (no partner)."""
        return Setting(**{**self.__dict__, "partner": None, "flip": MIX_DEFAULT["flip"]})

    def partner_setting(self) -> "Setting":
        """How the partner model runs: its card's size rule, at the pair's fit."""
        return replace(Setting.default(card_of(self.partner)), fit=self.partner_fit)
