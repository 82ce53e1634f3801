"""`bgzero eval`: cutout quality of model settings over the ground-truth sets, natively.

Every table puts the peer baseline (square stretch, bilinear in and out) beside our
settings, measured with the same graphs the browser runs.
"""

import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from .cards import load_cards
from .groundtruth import SETS, photos, truth
from .geometry import FITS
from .pipeline import REFINE_DEFAULT, Setting, cutout_alpha, open_photo, predict
from .quality import scores

METRICS = ("iou", "mae", "boundary_f", "seconds")


def candidates(model: str) -> list[tuple[str, Setting]]:
    """(kind, setting) rows for one model: the peer baseline, the model card's default
    (what the app and `bgzero remove` do) and the alternatives it was chosen from."""
    default = Setting.default(load_cards()[model])
    rows = [("baseline", Setting.baseline(model)), ("default", default)]
    for fit in FITS:
        for downscale in ("bilinear", "high"):
            for refine in (False, True):
                extra = {"upscale": "guided", **REFINE_DEFAULT} if refine else {}
                setting = Setting(model, fit=fit, downscale=downscale, **extra)
                if setting != default:
                    rows.append(("ours", setting))
    return rows


class Predictions:
    """Model outputs by (photo, model, fit, downscale): settings that differ only after the
    model share one run. Seconds always include a model run, as a user would wait for it."""

    def __init__(self):
        self._memo = {}

    def cutout(self, photo: Path, setting: Setting) -> tuple[np.ndarray, float]:
        image = open_photo(photo)
        key = (photo, setting.model, setting.fit, setting.downscale)
        started = time.perf_counter()
        if key not in self._memo:
            card = load_cards()[setting.model]
            self._memo[key] = (predict(image, card, setting, {}),
                               time.perf_counter() - started)
            started = time.perf_counter()
        prediction, model_seconds = self._memo[key]
        alpha = cutout_alpha(image, setting, prediction=prediction)
        return alpha, model_seconds + time.perf_counter() - started


def evaluate(setting: Setting, subset: str, limit: int | None = None,
             predictions: Predictions | None = None) -> dict:
    predictions = predictions or Predictions()
    rows = []
    for photo in photos(subset)[:limit]:
        alpha, seconds = predictions.cutout(photo, setting)
        alpha = alpha.astype(np.float32) / 255
        fg, known = truth(subset, photo)
        if fg.shape != alpha.shape:
            raise ValueError(f"{photo.name}: truth {fg.shape} vs photo {alpha.shape}")
        rows.append({**scores(alpha, fg, known), "seconds": seconds})
    summary = {m: statistics.fmean(r[m] for r in rows) for m in METRICS if m != "seconds"}
    summary["seconds"] = statistics.median(r["seconds"] for r in rows)
    summary["photos"] = len(rows)
    return summary


def table(subset: str, results: list[tuple[str, Setting, dict]]) -> str:
    lines = [f"{subset} ({results[0][2]['photos']} photos)",
             f"  {'':9}{'setting':<52}{'IoU':>7}{'MAE':>8}{'BF':>7}{'s/img':>7}"]
    for kind, setting, r in results:
        lines.append(f"  {kind:<9}{setting.label():<52}{r['iou']:7.4f}{r['mae']:8.4f}"
                     f"{r['boundary_f']:7.4f}{r['seconds']:7.2f}")
    return "\n".join(lines)


def run_eval(args) -> int:
    cards = load_cards()
    models = args.model or list(cards)
    unknown = set(models) - set(cards)
    if unknown:
        print(f"bgzero eval: unknown model {sorted(unknown)}", file=sys.stderr)
        return 2
    report = {}
    for subset in args.set or SETS:
        if not photos(subset):
            print(f"bgzero eval: no photos for {subset}", file=sys.stderr)
            return 1
        results, predictions = [], Predictions()
        for model in models:
            for kind, setting in candidates(model):
                results.append((kind, setting,
                                evaluate(setting, subset, args.limit, predictions)))
                print(f"  ... {subset} {setting.label()}", file=sys.stderr, flush=True)
        print(table(subset, results), flush=True)
        report[subset] = [{"kind": k, "setting": s.__dict__, "label": s.label(), **r}
                          for k, s, r in results]
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0
