"""Quality metrics on hand-made masks, and `bgzero eval` end to end on a photo per set."""

import json

import numpy as np
import pytest

from bgzero.cli import main
from bgzero.eval.choice import (
    across,
    against_best_baseline,
    app_model,
    choose,
    same_weights,
    target,
)
from bgzero.eval.quality import halo, scores


def test_scores_leave_the_unsure_band_out():
    truth = np.zeros((40, 40), bool)
    truth[10:30, 10:30] = True
    alpha = truth.astype(np.float32)
    alpha[10:30, 10:20] = 0.0  # half the square missed
    known = np.ones_like(truth)
    s = scores(alpha, truth, known)
    assert abs(s["iou"] - 0.5) < 1e-9 and abs(s["mae"] - 200 / 1600) < 1e-9
    known[:, :20] = False  # the missed half is unsure: nothing left to miss
    assert scores(alpha, truth, known)["iou"] == 1.0


def test_a_true_matte_is_scored_against_its_soft_alpha_and_on_its_edge_band():
    soft = np.zeros((40, 40), np.float32)
    soft[10:30, 10:30] = 1.0
    soft[10:30, 30:34] = 0.5  # a fringe of hair, half transparent
    truth, known = soft >= 0.5, np.ones((40, 40), bool)
    exact = scores(soft.copy(), truth, known, soft)
    assert exact["mae"] == 0 and exact["edge_mae"] == 0
    hard = truth.astype(np.float32)  # a cut-out that makes the hair opaque
    s = scores(hard, truth, known, soft)
    assert s["iou"] == 1.0  # IoU cannot see it...
    assert s["mae"] == pytest.approx(80 * 0.5 / 1600)
    assert s["edge_mae"] > 3 * s["mae"]  # ...the edge band does


def test_halo_is_the_old_background_left_on_the_edge():
    a = np.clip((np.arange(50)[None, :].repeat(20, 0) - 20) / 10, 0, 1).astype(np.float32)
    red, green = np.array([220, 30, 30], np.float32), np.array([20, 200, 40], np.float32)
    foreground = np.broadcast_to(red, (20, 50, 3))
    photo = a[..., None] * red + (1 - a[..., None]) * green
    alpha8 = np.rint(a * 255).astype(np.uint8)
    kept = np.dstack([np.rint(photo), alpha8]).astype(np.uint8)
    clean = np.dstack([np.broadcast_to(red, (20, 50, 3)), alpha8]).astype(np.uint8)
    assert halo(clean, a, foreground) == 0
    # a·(1−a)·|red − green| averaged over the ramp's inside: clearly visible.
    assert halo(kept, a, foreground) > 20


def test_target_reads_the_issues_bar():
    """ "Best quality": +2 IoU points and 20 % lower MAE than the best peer row, both."""
    base = {"iou": 0.90, "mae": 0.05}
    assert target({"iou": 0.921, "mae": 0.039}, base).endswith(": met")
    assert "1.00 points short" in target({"iou": 0.91, "mae": 0.01}, base)
    assert "MAE 0.0010 short" in target({"iou": 0.93, "mae": 0.041}, base)
    assert same_weights({"iou": 0.90, "mae": 0.05}, base).endswith(": met")
    assert "MAE 0.0100 higher" in same_weights({"iou": 0.91, "mae": 0.06}, base)


def test_the_bar_is_the_best_row_the_peers_can_produce_not_our_own_model():
    def row(kind, model, iou):
        return {"kind": kind, "label": model, "iou": iou, "mae": 0.05, "setting": {"model": model}}

    rows = [
        row("baseline", "isnet-fp16", 0.90),
        row("baseline", "isnet-int8", 0.95),  # ours, quantised here: no peer runs it
        row("baseline", "u2netp", 0.89),
        row("default", "u2netp", 0.91),
        row("best", "isnet-int8+u2netp", 0.93),
    ]
    fast, best = against_best_baseline({"pets": rows})
    assert "vs 0.8900" in fast and "its weights the peers' way" in fast  # same weights
    assert "vs 0.9000" in best and "best peer row: isnet-fp16" in best


def test_defaults_are_chosen_by_the_worst_set_not_the_mean():
    def row(kind, label, iou, mae=0.05):
        return {
            "kind": kind,
            "label": label,
            "iou": iou,
            "mae": mae,
            "seconds": 1.0,
            "setting": {"model": "isnet-fp16" if kind == "baseline" else "u2netp"},
        }

    # "wide" is better on the mean (0.93 vs 0.92) but loses 5 points on objects.
    report = {
        "pets": [
            row("baseline", "peer", 0.90),
            row("default", "wide", 0.99),
            row("ours", "safe", 0.92),
        ],
        "objects": [
            row("baseline", "peer", 0.90),
            row("default", "wide", 0.87),
            row("ours", "safe", 0.92),
        ],
    }
    chosen = choose(report)["u2netp"]
    assert chosen["label"] == "safe" and chosen["worst"] == pytest.approx(2.0)
    assert not chosen["is_default"]
    assert {r["label"]: round(r["worst"], 2) for r in across(report)}["wide"] == -3.0
    # Only the peers' way scored (`bgzero eval --model isnet-quint8`): nothing to choose from.
    peers_only = {s: [r for r in rows if r["kind"] == "baseline"] for s, rows in report.items()}
    assert choose(peers_only) == {} and app_model(peers_only) is None


def test_eval_prints_baseline_and_ours_for_every_set(tmp_path, capsys):
    out_json, out_md = tmp_path / "q.json", tmp_path / "q.md"
    assert (
        main(
            [
                "eval",
                "--model",
                "u2netp",
                "--limit",
                "1",
                "--set",
                "pets",
                "--set",
                "people",
                "--set",
                "composites",
                "--json",
                str(out_json),
                "--markdown",
                str(out_md),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    report = json.loads(out_json.read_text())
    assert list(report) == ["pets", "people", "composites"]
    for subset, rows in report.items():
        kinds = [r["kind"] for r in rows]
        assert kinds[:2] == ["baseline", "default"] and rows[0]["photos"] == 1
        assert f"{subset} (1 photos)" in printed
    on, off = (
        next(
            r["halo"]
            for r in report["composites"]
            if r["kind"] != "baseline" and r["setting"]["decontaminate"] is flag
        )
        for flag in (True, False)
    )
    assert on < off  # decontamination lowers the halo on this composite
    text = out_md.read_text()
    assert "## composites (1 photos)" in text and "## Every set side by side" in text
    assert "within 0.5 IoU points of the best single model on its worst set: **u2netp**" in text
    assert "at least the peers' way" in text
