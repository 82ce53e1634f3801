"""numpy versions of the ONNX ops the helper graphs use: the references they are tested against."""

import numpy as np


def resize_linear(x: np.ndarray, height: int, width: int) -> np.ndarray:
    """ONNX Resize, mode linear, half_pixel, no antialias: separable, edge-clamped."""

    def axis(n_in, n_out):
        src = np.clip((np.arange(n_out) + 0.5) * (n_in / n_out) - 0.5, 0, n_in - 1)
        low = np.floor(src).astype(int)
        high = np.minimum(low + 1, n_in - 1)
        return low, high, (src - low).astype(np.float32)

    lo, hi, w = axis(x.shape[0], height)
    x = x[lo] * (1 - w)[:, None] + x[hi] * w[:, None]
    lo, hi, w = axis(x.shape[1], width)
    return x[:, lo] * (1 - w) + x[:, hi] * w


def box(x: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)² window, counting only pixels inside the image."""

    def summed(a):
        c = np.pad(np.cumsum(np.cumsum(a, 0), 1), ((1, 0), (1, 0)))
        h, w = a.shape
        y0 = np.clip(np.arange(h) - r, 0, h)
        y1 = np.clip(np.arange(h) + r + 1, 0, h)
        x0 = np.clip(np.arange(w) - r, 0, w)
        x1 = np.clip(np.arange(w) + r + 1, 0, w)
        return c[y1][:, x1] - c[y0][:, x1] - c[y1][:, x0] + c[y0][:, x0]

    return summed(x.astype(np.float64)) / summed(np.ones_like(x, np.float64))
