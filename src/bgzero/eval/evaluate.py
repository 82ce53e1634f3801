"""`bgzero eval`: cutout quality of model settings over the ground-truth sets, natively.

Every table puts the peer baseline (square stretch, bilinear in and out) beside our
settings, measured with the same graphs the browser runs. The composites set also scores
colour: the halo of old background that colour decontamination is there to remove.
"""

import json
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from bgzero.eval import clicks
from bgzero.eval.choice import (
    across,
    against_best_baseline,
    app_model,
    choose,
    decontamination,
    labelled,
    peers_run,
)
from bgzero.eval.groundtruth import COMPOSITES, SETS, eval_sets, samples
from bgzero.eval.quality import halo, scores
from bgzero.models.cards import load_cards
from bgzero.native.pipeline import cutout_alpha, cutout_rgba, mix, predict
from bgzero.native.settings import Setting
from bgzero.web_shared import geometry

SCORES = ("iou", "mae", "edge_mae", "boundary_f")  # of alpha, every set; halo on composites
# "Best quality" mixes tried beside the shipped one (the [best] card's model and partner):
# (mix, weight of the first model, whether it also looks at the photo in a mirror).
MIXES = (
    ("mean", 0.5, False),
    ("mean", 0.5, True),
    ("mean", 0.6, True),
    ("mean", 0.7, True),
    ("confident", 0.5, True),
)


def _peer_bar(row: dict) -> bool:
    return row["kind"] == "baseline" and peers_run(row)


def candidates(model: str, subset: str) -> list[tuple[str, Setting]]:
    """(kind, setting) rows for one model: the peer baseline, the model card's default
    (what the app and `bgzero remove` do) and the alternatives it was chosen from: the
    other working-size rule (IS-Net) or fit (u2netp), refined as shipped. Alpha is chosen
    on the labelled sets; colour decontamination (which leaves alpha alone) on the
    composites, with and without it. The [best] card also gets its "Best quality" rows:
    kind "best" for the shipped mix, "mix" for the others. Other cards: the peers' way
    only."""
    cards = load_cards()
    card = cards[model]
    default = Setting.default(card)
    rows = [("baseline", Setting.baseline(model)), ("default", default)]
    if not (card.default or card.best):
        # The other IS-Net weights: the peers' way only (the bar every set is held to);
        # their default follows the int8 card's measured choice (docs/quality.md): every
        # setting of every card on every set would take hours on 2 cores.
        return rows[:1]
    if subset == COMPOSITES:
        flipped = Setting(**{**default.__dict__, "decontaminate": not default.decontaminate})
        rows.append(("ours", flipped))
        return rows + ([("best", Setting.best(card))] if card.best else [])
    if card.min_size:
        rows.append(("ours", replace(default, adaptive=not default.adaptive)))
        # Issue 23: an input in the photo's proportions (the graph runs at any h×w).
        rows.append(("ours", replace(default, fit="aspect")))
    else:
        other = next(f for f in geometry.FITS if f != default.fit)
        rows.append(("ours", replace(default, fit=other)))
    if card.best:
        shipped = Setting.best(card)
        rows.append(("best", shipped))
        others = [replace(shipped, mix=m, weight=w, flip=f) for m, w, f in MIXES]
        if card.min_size:  # the shipped mix at the other working-size rule
            others.append(replace(shipped, adaptive=not shipped.adaptive))
        rows += [("mix", s) for s in dict.fromkeys(others) if s != shipped]
    return rows


class Predictions:
    """Model outputs by (photo, model, fit, downscale, size): settings that differ only after
    the model share one run, and a mix reuses both models' runs. Seconds always include the
    model runs, as a user would wait for them."""

    def __init__(self):
        self._memo = {}

    def _run(self, sample, image, setting: Setting, mirror=False):
        key = (sample, setting.model, setting.fit, setting.downscale, setting.adaptive, mirror)
        if key not in self._memo:
            started = time.perf_counter()
            card = load_cards()[setting.model]
            made = predict(image, card, setting, {}, mirror=mirror)
            self._memo[key] = (made, time.perf_counter() - started)
        return self._memo[key]

    def cutout(self, sample, image, setting: Setting, colour: bool) -> tuple[np.ndarray, float]:
        """(alpha H×W, or the RGBA cut-out H×W×4 when `colour`, and seconds)."""
        prediction, seconds = self._run(sample, image, setting.alone())
        started = time.perf_counter()
        if setting.partner:
            mirrored = None
            if setting.flip:
                mirrored, more = self._run(sample, image, setting.alone(), mirror=True)
                seconds += more
            second, more = self._run(sample, image, setting.partner_setting())
            seconds += more
            prediction = mix(image, prediction, second, setting, mirrored)
        made = (cutout_rgba if colour else cutout_alpha)(image, setting, prediction=prediction)
        return made, seconds + time.perf_counter() - started


def evaluate(
    setting: Setting, subset: str, limit: int | None = None, predictions: Predictions | None = None
) -> dict:
    predictions = predictions or Predictions()
    rows = []
    for sample in samples(subset)[:limit]:
        truth = sample.load()
        made, seconds = predictions.cutout(sample, truth.image, setting, truth.matte is not None)
        alpha = (made[..., 3] if truth.matte is not None else made).astype(np.float32) / 255
        if truth.foreground.shape != alpha.shape:
            raise ValueError(
                f"{sample.name}: truth {truth.foreground.shape} vs photo {alpha.shape}"
            )
        row = {**scores(alpha, truth.foreground, truth.known, truth.alpha), "seconds": seconds}
        if truth.matte is not None:
            row["halo"] = halo(made, *truth.matte)
        rows.append(row)
    summary = {m: statistics.fmean(r[m] for r in rows) for m in SCORES}
    summary["halo"] = statistics.fmean(r["halo"] for r in rows) if "halo" in rows[0] else None
    summary["seconds"] = statistics.median(r["seconds"] for r in rows)
    summary["photos"] = len(rows)
    return summary


def _halo(row: dict) -> str:
    return "–" if row["halo"] is None else f"{row['halo']:.2f}"


def table(subset: str, rows: list[dict]) -> str:
    lines = [
        f"{subset} ({rows[0]['photos']} photos)",
        f"  {'':9}{'setting':<96}{'IoU':>7}{'MAE':>8}{'edge':>8}{'BF':>7}{'halo':>7}{'s/img':>7}",
    ]
    for r in rows:
        lines.append(
            f"  {r['kind']:<9}{r['label']:<96}{r['iou']:7.4f}{r['mae']:8.4f}{r['edge_mae']:8.4f}"
            f"{r['boundary_f']:7.4f}{_halo(r):>7}{r['seconds']:7.2f}"
        )
    return "\n".join(lines)


def side_by_side(report: dict) -> list[str]:
    """Markdown: the defaults, the best mixes and the peers' rows on every labelled set."""
    sets = list(labelled(report))
    rows = [r for r in across(report) if r["kind"] in ("baseline", "default", "best")]
    rows.sort(key=lambda r: (r["kind"] != "baseline", -r["worst"]))
    head = "| kind | setting | " + " | ".join(f"{s} IoU / MAE / edge" for s in sets)
    out = [head + " | worst set's IoU gain | worst MAE ratio |"]
    out.append("|---|---|" + "---|" * (len(sets) + 2))
    for r in rows:
        cells = ["{iou:.4f} / {mae:.4f} / {edge_mae:.4f}".format(**r["sets"][s]) for s in sets]
        out.append(
            f"| {r['kind']} | {r['label']} | "
            + " | ".join(cells)
            + f" | {r['worst']:+.2f} | {r['worst_mae']:.2f} |"
        )
    return out


def markdown(report: dict) -> str:
    sets = ", ".join(f"{s} ({rows[0]['photos']})" for s, rows in labelled(report).items())
    out = [
        "# Cutout quality",
        "",
        "Written by `bgzero eval --markdown docs/quality.md` (`make eval`): every model "
        "setting run natively, with the graphs the browser runs, over the ground-truth sets "
        f"found ({sets}; where each comes from: `src/bgzero/eval/groundtruth.py`). IoU at 0.5 "
        "and MAE of alpha leave out the pets' unsure band; *edge* is the MAE on the edge "
        "band (the truth's soft pixels and boundary, dilated by the BF tolerance): hair and "
        "fur. BF is the boundary F-measure (tolerance 0.75 % of the diagonal); s/img is the "
        "median time per photo on this machine (2 cores). *baseline* is what the JavaScript "
        "peers do: square stretch, bilinear in and out. *default* is the model card's "
        'setting, i.e. what the app and `bgzero remove` do ("Fast"); *best* is "Best '
        "quality\", two models' masks mixed; *mix* the mixes it was chosen from.",
        "",
        "*composites* are the people photos, their masks softened (Gaussian, 2 px), laid "
        "over another photo of the set (blurred, 12 px), so the true matte and foreground "
        "colours are known. *halo* is the visible colour error on that soft edge (0-255, "
        "our colour minus the true foreground's, weighted by our alpha, where the true "
        "alpha is in (0.05, 0.95)): what is left of the old background. Lower is better.",
        "",
        "## Every set side by side",
        "",
        "The gain is in IoU points over each set's best peer row (the peers' way with a "
        "model they have); the worst set decides, never the mean.",
        "",
        *side_by_side(report),
        "",
    ]
    for subset, rows in report.items():
        out += [
            f"## {subset} ({rows[0]['photos']} photos)",
            "",
            "| kind | setting | IoU | MAE | edge MAE | BF | halo | s/img |",
            "|---|---|---|---|---|---|---|---|",
        ]
        out += [
            f"| {r['kind']} | {r['label']} | {r['iou']:.4f} | {r['mae']:.4f} | "
            f"{r['edge_mae']:.4f} | {r['boundary_f']:.4f} | {_halo(r)} | {r['seconds']:.2f} |"
            for r in rows
        ]
        out.append("")
    out += [
        "## Defaults chosen from these tables",
        "",
        "Rule: per model, the setting whose worst set gains most IoU over that set's best "
        'peer row, then the lower worst MAE ratio; the same for "Best quality" among the '
        "mixes; colour decontamination where it lowers the composites' halo.",
        "",
    ]
    for model, c in choose(report).items():
        flag = "" if c["is_default"] else " **(not the card's default: update the card)**"
        out.append(
            f"- {model}: {c['label']} (worst set {c['worst']:+.2f} IoU points, worst MAE "
            f"ratio {c['worst_mae']:.2f}){flag}"
        )
    for model, (on, off) in decontamination(report).items():
        card = load_cards()[model]
        flag = (
            ""
            if (on < off) == card.decontaminate
            else " **(not the card's default: update the card)**"
        )
        out.append(
            f"- {model}: colour decontamination {'on' if on < off else 'off'}: halo "
            f"{on:.2f} with it vs {off:.2f} without ({(on / off - 1) * 100:+.1f} %){flag}"
        )
    fastest = app_model(report)
    if fastest:
        out += [
            "",
            f"Fastest model within 0.5 IoU points of the best single model on its worst set: "
            f"**{fastest}**.",
        ]
    out += [
        "",
        "## Against the peers",
        "",
        "\"Fast\" (each card's default) against the peers' way with the same weights; "
        '"Best quality" against each set\'s best peer row (+2 IoU points, MAE × 0.8).',
        "",
    ]
    out += [f"- {line}" for line in against_best_baseline(report)]
    return "\n".join(out) + "\n"


def run_clicks(args, models: list[str]) -> int:
    """`bgzero eval --clicks N`: every correction of clicks.METHODS, per labelled set."""
    results = {}
    for model in models:
        setting = Setting.default(load_cards()[model])
        for subset in args.set or SETS:
            for name, method in clicks.METHODS.items():
                means, noc, count = clicks.simulate(
                    setting, subset, args.clicks, method, args.limit
                )
                results[(subset, name)] = (means, noc, count)
                curve = " ".join(f"{v:.3f}" for v in means)
                print(
                    f"{model} {subset} {name:<12} IoU after 0..{args.clicks}: {curve}"
                    f"  NoC@90 {noc:.2f}",
                    flush=True,
                )
        if args.markdown:
            path = Path(args.markdown)
            text = path.read_text() if path.exists() else ""
            path.write_text(
                clicks.replace_section(text, clicks.markdown(results, args.clicks, model))
            )
    return 0


def run_eval(args) -> int:
    cards = load_cards()
    default = next(c.id for c in cards.values() if c.default)
    models = args.model or ([default] if args.clicks else list(cards))
    unknown = set(models) - set(cards)
    if unknown:
        print(f"bgzero eval: unknown model {sorted(unknown)}", file=sys.stderr)
        return 2
    if args.clicks:
        return run_clicks(args, models)
    report = {}
    known = (*eval_sets(), COMPOSITES)
    wrong = [s for s in args.set or () if s not in known]
    if wrong:
        print(f"bgzero eval: no set {wrong[0]!r}; found {', '.join(known)}", file=sys.stderr)
        return 2
    for subset in args.set or known:
        if not samples(subset):
            print(f"bgzero eval: no photos for {subset}", file=sys.stderr)
            return 1
        rows, predictions = [], Predictions()
        for model in models:
            for kind, setting in candidates(model, subset):
                result = evaluate(setting, subset, args.limit, predictions)
                rows.append(
                    {"kind": kind, "setting": setting.__dict__, "label": setting.label(), **result}
                )
                print(f"  ... {subset} {setting.label()}", file=sys.stderr, flush=True)
        report[subset] = rows
        print(table(subset, rows), flush=True)
    if args.json:  # written first: the tables are what took the time
        Path(args.json).write_text(json.dumps(report, indent=1))
    peerless = [s for s, rows in labelled(report).items() if not any(map(_peer_bar, rows))]
    if peerless:
        # The worst-set rule measures against the peers' best row: with only derived models
        # (e.g. --model isnet-int8) there is none, so the tables stand alone.
        print(f"no peer model's baseline in {', '.join(peerless)}: add --model u2netp to choose")
        return 0
    for model, c in choose(report).items():
        print(
            f"chosen for {model} by its worst set: {c['label']} ({c['worst']:+.2f} points)"
            + ("" if c["is_default"] else "  (the card's default differs)")
        )
    for model, (on, off) in decontamination(report).items():
        print(f"{model}: halo {on:.2f} decontaminated vs {off:.2f} not")
    fastest = app_model(report) if labelled(report) else None
    if fastest:
        print(f"app default model by the same data: {fastest}")
    print("\n".join(against_best_baseline(report)))
    if args.markdown:
        # The clicks section (`bgzero eval --clicks`) is another run's: it stays.
        path = Path(args.markdown)
        old = path.read_text() if path.exists() else ""
        start = old.find("## Clicks")
        kept = old[start:] if start >= 0 else ""
        path.write_text(markdown(report) + ("\n" + kept if kept else ""))
    return 0
