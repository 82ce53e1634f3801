"""Cutout quality metrics against a ground-truth mask (pure numpy + Pillow filters)."""

import numpy as np
from PIL import Image, ImageFilter


def _dilate(mask: np.ndarray, radius: int) -> np.ndarray:
    if radius <= 0:
        return mask
    image = Image.fromarray(mask.astype(np.uint8) * 255)
    return np.asarray(image.filter(ImageFilter.MaxFilter(2 * radius + 1))) > 0


def boundary(mask: np.ndarray) -> np.ndarray:
    """Pixels of `mask` with a 4-neighbour outside it."""
    padded = np.pad(mask, 1, mode="edge")
    inner = padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:]
    return mask & ~inner


def tolerance(shape: tuple[int, int]) -> int:
    """Boundary match distance: 0.75 % of the diagonal, as in the BF score, at least 2 px."""
    return max(2, round(0.0075 * float(np.hypot(*shape))))


def edge_band(truth: np.ndarray, known: np.ndarray, soft: np.ndarray | None = None) -> np.ndarray:
    """Where hair, fur and edges are: the truth's soft pixels (0 < alpha < 1) and its
    boundary, and a pets-style unsure band, dilated by the boundary tolerance; scored pixels
    only."""
    edge = boundary(truth) | ~known
    if soft is not None:
        edge |= (soft > 0) & (soft < 1)
    return _dilate(edge, tolerance(truth.shape)) & known


def scores(
    alpha: np.ndarray, truth: np.ndarray, known: np.ndarray, soft: np.ndarray | None = None
) -> dict:
    """alpha: float [0,1] prediction; truth: bool foreground; known: bool pixels to score;
    soft: the true alpha where the set has one (a matte's hair is partly transparent), else
    MAE is against `truth`. edge_mae: the MAE in edge_band(), where mattes differ."""
    pred = alpha >= 0.5
    union = ((pred | truth) & known).sum()
    iou = ((pred & truth) & known).sum() / union if union else 1.0
    target = truth if soft is None else soft
    error = np.abs(alpha - target)
    mae = float(error[known].mean())
    band = edge_band(truth, known, soft)
    edge_mae = float(error[band].mean()) if band.any() else 0.0
    d = tolerance(truth.shape)
    # Where the truth has an unsure band (pets), the band is the edge.
    pred_edge, true_edge = boundary(pred), boundary(truth) | ~known
    precision = (pred_edge & _dilate(true_edge, d)).sum() / max(pred_edge.sum(), 1)
    recall = (true_edge & _dilate(pred_edge, d)).sum() / max(true_edge.sum(), 1)
    f = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"iou": float(iou), "mae": mae, "edge_mae": edge_mae, "boundary_f": float(f)}


def halo(cutout: np.ndarray, alpha: np.ndarray, foreground: np.ndarray) -> float:
    """Mean visible colour error (0-255) on the true soft edge: |our colour − the true
    foreground's| weighted by our alpha, over pixels whose true alpha is in (0.05, 0.95).
    Keeping the photo's colour there scores α·(1−α_true)·|F − B|: the old background's halo.
    cutout: uint8 H×W×4; alpha: true [0,1] H×W; foreground: true colours H×W×3."""
    band = (alpha > 0.05) & (alpha < 0.95)
    ours_a = cutout[..., 3][band].astype(np.float32)[:, None] / 255
    error = ours_a * np.abs(cutout[..., :3][band].astype(np.float32) - foreground[band])
    return float(error.mean())
