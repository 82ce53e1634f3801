"""`bgzero eval --clicks N`: a simulated user corrects the default cut-out with clicks.

The protocol of interactive segmentation papers: each click goes to the interior point
farthest from the border of the largest remaining error region (inside the subject: "add
this", outside: "remove this"). Reported per set: mean IoU after 0…N clicks and the mean
number of clicks to reach IoU 0.90 (NoC@90, at most MAX_CLICKS).

Corrections compared:
- disk: paint a disk as wide as the error region at the click. It knows the error
  region's size, which a real click does not tell: the bar a smart correction must clear.
- second look: what a click in the page can know, the point and the current mask. The
  model runs again on a crop around the click, four times as wide as the distance from the
  click to the nearest pixel that already has the value asked for; the crop's region under
  the click (connected, within three times that distance) takes that value.
- second look, sized: the same at the disk's scale, as if the user had set the brush to the
  wrong region's size: a fair match for the disk, which is given that size too. This is the
  page's *Smart* tool (src/web/editor/smart_tool.py, the same window from shared/smart.py; the
  browser test compares the two).
- edge band: a click on a wrong edge. The model looks again at a crop half the photo's
  long side around it (about twice the detail of the first look); within a band along the
  current edge (1.5 click distances wide), the region of that look connected to the click
  takes the value asked for. It can only move the edge the way the click asks.
"""

import statistics
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from bgzero.eval.groundtruth import photos, truth
from bgzero.native.pipeline import cutout_alpha, open_photo
from bgzero.native.settings import Setting
from bgzero.web_shared import smart

MAX_CLICKS = 20
TARGET_IOU = 0.90


@dataclass(frozen=True)
class Click:
    y: int
    x: int
    add: bool  # the subject is here (add) or not (remove)
    radius: float  # the error region's inradius at the click (the oracle's knowledge)


def iou(pred: np.ndarray, fg: np.ndarray, known: np.ndarray) -> float:
    return float(((pred & fg) & known).sum() / max(((pred | fg) & known).sum(), 1))


def next_click(pred: np.ndarray, fg: np.ndarray, known: np.ndarray) -> Click | None:
    errors = (pred != fg) & known
    labels, count = ndimage.label(errors)
    if count == 0:
        return None
    sizes = ndimage.sum(errors, labels, range(1, count + 1))
    region = labels == (int(np.argmax(sizes)) + 1)
    inside = ndimage.distance_transform_edt(np.pad(region, 1))[1:-1, 1:-1]
    y, x = np.unravel_index(int(np.argmax(inside)), inside.shape)
    return Click(int(y), int(x), bool(fg[y, x]), float(inside[y, x]))


def _disk(shape, y, x, radius) -> np.ndarray:
    yy, xx = np.ogrid[: shape[0], : shape[1]]
    return (yy - y) ** 2 + (xx - x) ** 2 <= radius * radius


def disk(photo, pred: np.ndarray, click: Click, setting: Setting) -> np.ndarray:
    out = pred.copy()
    out[_disk(pred.shape, click.y, click.x, click.radius)] = click.add
    return out


def scale(pred: np.ndarray, y: int, x: int, add: bool) -> float:
    """Distance from the click to the nearest pixel that already has the value asked for."""
    done = pred == add
    if not done.any():
        return float(max(pred.shape))
    ys, xs = np.nonzero(done)
    return float(np.sqrt(((ys - y) ** 2 + (xs - x) ** 2).min()))


def second_look(photo, pred: np.ndarray, click: Click, setting: Setting) -> np.ndarray:
    radius = scale(pred, click.y, click.x, click.add)
    return _second_look(photo, pred, click, setting, radius, radius / 2, False)


def second_look_sized(photo, pred: np.ndarray, click: Click, setting: Setting) -> np.ndarray:
    """The second look at the scale the disk gets, as if the user had set the brush to the
    wrong region's size: at least the disk, grown along what the model sees under it."""
    return _second_look(photo, pred, click, setting, click.radius, click.radius, True)


def _second_look(photo, pred, click: Click, setting: Setting, radius, fallback, with_disk):
    y, x, add = click.y, click.x, click.add
    top, left, bottom, right = smart.crop_window(y, x, radius, *pred.shape)
    seen = cutout_alpha(photo.crop((left, top, right, bottom)), setting) > 127
    here = seen[y - top, x - left]
    region = np.zeros_like(pred)
    if add and not here:  # the second look sees no subject here either: just a disk
        region |= _disk(pred.shape, y, x, fallback)
    else:
        labels, _ = ndimage.label(seen == here)
        region[top:bottom, left:right] = labels == labels[y - top, x - left]
        region &= _disk(pred.shape, y, x, smart.REACH_FACTOR * radius)
        if with_disk:
            region |= _disk(pred.shape, y, x, radius)
    out = pred.copy()
    out[region] = add
    return out


def edge_band(photo, pred: np.ndarray, click: Click, setting: Setting) -> np.ndarray:
    y, x, add = click.y, click.x, click.add
    distance = scale(pred, y, x, add)
    top, left, bottom, right = smart.edge_window(y, x, distance, *pred.shape)
    seen = np.zeros_like(pred)
    seen[top:bottom, left:right] = (
        cutout_alpha(photo.crop((left, top, right, bottom)), setting) > 127
    )
    edge = pred ^ ndimage.binary_erosion(pred, border_value=0)
    band = ndimage.distance_transform_edt(~edge) <= max(
        smart.EDGE_MIN_BAND, smart.EDGE_BAND * distance
    )
    window = np.zeros_like(pred)
    window[top:bottom, left:right] = True
    region = band & window & _disk(pred.shape, y, x, (bottom - top) / 2)
    labels, _ = ndimage.label(
        (seen == add) & (region | _disk(pred.shape, y, x, max(1.0, distance)))
    )
    out = pred.copy()
    if labels[y, x]:
        out[labels == labels[y, x]] = add
    out[_disk(pred.shape, y, x, max(1.0, distance / 2))] = add  # where the user clicked is sure
    return out


METHODS = {
    "disk": disk,
    "second look": second_look,
    "second look, sized": second_look_sized,
    "edge band": edge_band,
}


def simulate(setting: Setting, subset: str, clicks: int, method, limit: int | None = None):
    """(mean IoU after 0..clicks, NoC@90) over the set's photos."""
    curves, nocs = [], []
    for path in photos(subset)[:limit]:
        photo = open_photo(path)
        fg, known, _ = truth(subset, path)
        pred = cutout_alpha(photo, setting) > 127
        curve = [iou(pred, fg, known)]
        reached = 0 if curve[0] >= TARGET_IOU else None
        for n in range(1, MAX_CLICKS + 1):
            if n > clicks and reached is not None:
                break
            click = next_click(pred, fg, known)
            if click is None:
                reached = n - 1 if reached is None else reached
                break
            pred = method(photo, pred, click, setting)
            score = iou(pred, fg, known)
            if n <= clicks:
                curve.append(score)
            if reached is None and score >= TARGET_IOU:
                reached = n
        curve += [curve[-1]] * (clicks + 1 - len(curve))
        curves.append(curve)
        nocs.append(MAX_CLICKS if reached is None else reached)
    means = [statistics.fmean(c[i] for c in curves) for i in range(clicks + 1)]
    return means, statistics.fmean(nocs), len(curves)


def markdown(results: dict, clicks: int, model: str) -> str:
    head = " | ".join(f"{n} click{'s' if n != 1 else ''}" for n in range(clicks + 1))
    lines = [
        "## Clicks",
        "",
        f"Written by `bgzero eval --clicks {clicks}`: model {model}, default setting; the",
        "simulated user clicks the interior point farthest from the border of the largest",
        "remaining error region (src/bgzero/eval/clicks.py). Mean IoU after each click, and the",
        f"mean number of clicks to reach IoU {TARGET_IOU:.2f} (NoC@90, at most {MAX_CLICKS}).",
        "",
        f"| set | correction | {head} | NoC@90 |",
        "|---|---|" + "---|" * (clicks + 2),
    ]
    for (subset, name), (means, noc, count) in results.items():
        cells = " | ".join(f"{v:.3f}" for v in means)
        lines.append(f"| {subset} ({count}) | {name} | {cells} | {noc:.2f} |")
    lines += [
        "",
        "*disk* knows the error region's size (the bar to clear); *second look* knows only",
        "the click and the current mask; *second look, sized* gets the disk's size (a brush",
        "set to the wrong region); *edge band* looks again at a crop half the photo wide",
        "and moves only the edge near the click. Where a row falls below the disk, or below",
        "no click at all, on any set, it is not good enough to put in the page. The page's",
        "*Smart* tool is *second look, sized*, with the brush's radius as the size.",
    ]
    return "\n".join(lines) + "\n"


def replace_section(text: str, section: str) -> str:
    """`text` with its '## Clicks' section replaced by `section` (or added at the end)."""
    start = text.find("## Clicks")
    if start < 0:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + 1)
    return text[:start] + section + ("" if end < 0 else text[end:])
