"""How `bgzero eval`'s report chooses: each set's bar (the best row the peers can produce),
every setting side by side across the sets, and the worst-set rule that picks each card's
default and "Best quality"'s mix; the acceptance lines against the peers. Pure functions of
the report ({set: [row]}), so they are tested without running a model."""

from bgzero.eval.groundtruth import COMPOSITES
from bgzero.models.cards import load_cards


def labelled(report: dict) -> dict:
    return {subset: rows for subset, rows in report.items() if subset != COMPOSITES}


def peers_run(row: dict) -> bool:
    """Whether a peer could run this row's model: not one we made (a derived card)."""
    card = load_cards().get(row["setting"]["model"])
    return card is None or card.source["registry"] != "derived"


def best_peer(rows: list[dict]) -> dict:
    """The set's bar: the best baseline row (the peers' way) with a model the peers have."""
    return max(
        (r for r in rows if r["kind"] == "baseline" and peers_run(r)), key=lambda r: r["iou"]
    )


def across(report: dict) -> list[dict]:
    """Every setting scored on all labelled sets, side by side: {label, kind, model, sets:
    {set: row}, worst: the lowest IoU gain over the set's best peer row (points), worst_mae:
    the highest MAE ratio to that row}."""
    report = labelled(report)
    bars = {subset: best_peer(rows) for subset, rows in report.items()}
    by_label = {}
    for subset, rows in report.items():
        for r in rows:
            by_label.setdefault(r["label"], {})[subset] = r
    out = []
    for label, sets in by_label.items():
        if len(sets) != len(report):
            continue
        first = next(iter(sets.values()))
        gains = [(sets[s]["iou"] - bars[s]["iou"]) * 100 for s in report]
        ratios = [sets[s]["mae"] / bars[s]["mae"] for s in report]
        out.append(
            {
                "label": label,
                "kind": first["kind"],
                "model": first["setting"]["model"],
                "partner": first["setting"].get("partner"),
                "sets": sets,
                "worst": min(gains),
                "worst_mae": max(ratios),
                "seconds": sum(r["seconds"] for r in sets.values()) / len(sets),
            }
        )
    return out


def _rank(row: dict) -> tuple:
    """The worst-set rule: the higher lowest IoU gain, then the lower highest MAE ratio."""
    return (round(row["worst"], 2), -row["worst_mae"])


def choose(report: dict) -> dict:
    """Per model (and for "Best quality", under "best"), the setting whose worst set does
    best (_rank): the rule the model cards' [settings] and [best] follow. Never the mean."""
    best = {}
    for row in across(report):
        if row["kind"] == "baseline":
            continue
        key = "best" if row["partner"] else row["model"]
        if key not in best or _rank(row) > _rank(best[key]):
            best[key] = row
    return {
        key: {
            "label": row["label"],
            "worst": row["worst"],
            "worst_mae": row["worst_mae"],
            "is_default": row["kind"] in ("default", "best"),
        }
        for key, row in best.items()
    }


def decontamination(report: dict) -> dict:
    """Per model, whether decontaminating lowers the composites' halo: {model: (on, off)}."""
    rows = [
        r
        for r in report.get(COMPOSITES, [])
        if r["kind"] in ("default", "ours") and not r["setting"].get("partner")
    ]
    halos = {}
    for r in rows:
        halos.setdefault(r["setting"]["model"], {})[r["setting"]["decontaminate"]] = r["halo"]
    return {m: (h[True], h[False]) for m, h in halos.items() if len(h) == 2}


def app_model(report: dict, within: float = 0.5) -> str | None:
    """The fastest model whose chosen setting's worst-set IoU gain is within `within` points
    of the best single model's (a user waits for every photo); None when the report has no
    model's own settings (only the peers' way, as for the other IS-Net weights alone)."""
    chosen = {m: c for m, c in choose(report).items() if m != "best"}
    if not chosen:
        return None
    top = max(c["worst"] for c in chosen.values())
    seconds = {r["model"]: r["seconds"] for r in across(report) if r["kind"] == "default"}
    near = [m for m, c in chosen.items() if c["worst"] >= top - within]
    return min(near, key=lambda m: seconds.get(m, float("inf")))


def target(row: dict, base: dict) -> str:
    """ "Best quality"'s bar: +2 IoU points over the best peer row and 20 % lower MAE."""
    bar_iou, bar_mae = base["iou"] + 0.02, base["mae"] * 0.8
    short = []
    if row["iou"] < bar_iou:
        short.append(f"IoU {(bar_iou - row['iou']) * 100:.2f} points short")
    if row["mae"] > bar_mae:
        short.append(f"MAE {row['mae'] - bar_mae:.4f} short")
    text = f"target IoU ≥ {bar_iou:.4f}, MAE ≤ {bar_mae:.4f}: "
    return text + ("met" if not short else "not met (" + ", ".join(short) + ")")


def same_weights(row: dict, base: dict) -> str:
    """ "Fast"'s bar: the peers' way with the same model, IoU not lower and MAE not higher."""
    short = []
    if row["iou"] < base["iou"]:
        short.append(f"IoU {(base['iou'] - row['iou']) * 100:.2f} points lower")
    if row["mae"] > base["mae"]:
        short.append(f"MAE {row['mae'] - base['mae']:.4f} higher")
    return "at least the peers' way: " + (
        "met" if not short else "not met (" + ", ".join(short) + ")"
    )


def against_best_baseline(report: dict) -> list[str]:
    """The acceptance measures, per set: each single-model default against the peers' way
    with its own weights ("Fast"), and the "Best quality" row against the best peer row."""
    lines = []
    for subset, rows in labelled(report).items():
        base = best_peer(rows)
        baselines = {r["setting"]["model"]: r for r in rows if r["kind"] == "baseline"}
        for r in rows:
            if r["kind"] == "default":
                own = baselines[r["setting"]["model"]]
                lines.append(
                    f"{subset}: {r['label']}: IoU {r['iou']:.4f} vs {own['iou']:.4f}, MAE "
                    f"{r['mae']:.4f} vs {own['mae']:.4f} (its weights the peers' way); "
                    f"{same_weights(r, own)}"
                )
            elif r["kind"] == "best":
                lines.append(
                    f"{subset}: Best quality, {r['label']}: IoU {r['iou']:.4f} vs "
                    f"{base['iou']:.4f} ({(r['iou'] - base['iou']) * 100:+.2f} points), MAE "
                    f"{r['mae']:.4f} vs {base['mae']:.4f} "
                    f"({(r['mae'] / base['mae'] - 1) * 100:+.1f} %); "
                    f"{target(r, base)} [best peer row: {base['label']}]"
                )
    return lines
