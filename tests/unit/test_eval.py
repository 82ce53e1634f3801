"""Quality metrics on hand-made masks, and `bgzero eval` end to end on a photo per set."""

import json

import numpy as np

from bgzero.cli import main
from bgzero.evaluate import against_best_baseline, target
from bgzero.quality import halo, scores


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
    base = {"iou": 0.90, "mae": 0.05}
    assert target({"iou": 0.921, "mae": 0.05}, base).endswith("met")
    assert "1.00 points short" in target({"iou": 0.91, "mae": 0.01}, base)
    high = {"iou": 0.965, "mae": 0.0100}
    assert target({"iou": 0.9, "mae": 0.0080}, high).endswith("met")
    assert "not met" in target({"iou": 0.99, "mae": 0.0081}, high)


def test_the_bar_is_the_best_row_the_peers_can_produce_not_our_own_model():
    def row(kind, model, iou):
        return {"kind": kind, "label": model, "iou": iou, "mae": 0.05, "setting": {"model": model}}

    report = {
        "pets": [
            row("baseline", "isnet-fp16", 0.90),
            row("baseline", "isnet-int8", 0.95),  # ours, quantised here: no peer runs it
            row("default", "u2netp", 0.91),
        ]
    }
    (line,) = against_best_baseline(report)
    assert "vs 0.9000" in line and "best baseline: isnet-fp16" in line


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
    assert "## composites (1 photos)" in text and "App default model: **u2netp**" in text
    assert "target" in text
