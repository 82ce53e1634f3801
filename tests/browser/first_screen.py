"""The first screen's boxes (first_screen.js, shared with the Firefox and WebKit flows) and
the checks that hold in every engine at every size."""

from pathlib import Path

BOXES = Path(__file__).with_name("first_screen.js").read_text()
# Laptops, then phones (a portrait photo on those: a 4:3 landscape one at a 390 px width can
# cover at most 35 % of a 390×844 screen).
SIZES = ((1366, 768), (1280, 720), (390, 844), (360, 640))
PHONE_WIDTH = 900


def inside(box, seen):
    """Whether the [left, top, right, bottom] box lies in the window `seen` describes."""
    left, top, right, bottom = box
    return (
        left >= -0.5
        and top >= -0.5
        and right <= seen["width"] + 0.5
        and bottom <= seen["height"] + 0.5
    )


def check_before(seen):
    """Before a photo: the drop target and "Choose a photo" in view, nothing wider."""
    assert inside(seen["drop"], seen), seen
    assert inside(seen["choose"], seen) and seen["chooseOnTop"], seen
    assert seen["scrollWidth"] <= seen["width"], seen


def check_after(seen):
    """After a cut: the result and Download in view with no scrolling, the result large
    (40 % of a laptop's window, 35 % of a phone's)."""
    assert seen["scrollY"] == 0 and seen["scrollWidth"] <= seen["width"], seen
    assert inside(seen["result"], seen), seen
    assert inside(seen["download"], seen) and seen["downloadOnTop"], seen
    left, top, right, bottom = seen["result"]
    share = (right - left) * (bottom - top) / (seen["width"] * seen["height"])
    wanted = 0.35 if seen["width"] < PHONE_WIDTH else 0.40
    assert share >= wanted, f"the result covers {share:.0%} of {seen['width']}×{seen['height']}"


def check_sizes(report):
    """A flow's report: "before" at each size, "after" {"WxH": boxes} at each of SIZES."""
    for seen in report["before"]:
        check_before(seen)
    for width, height in SIZES:
        seen = report["after"][f"{width}x{height}"]
        assert (seen["width"], seen["height"]) == (width, height), seen
        check_after(seen)


def check_lacks(report):
    """The page says in plain words ("lacks", shown unless "lacks_hidden") what its engine
    line ("status") says the browser lacks: WebGPU, or threads."""
    no_webgpu = "this browser has no WebGPU" in report["status"]
    one_thread = "· 1 thread" in report["status"]
    assert report["lacks_hidden"] == (not no_webgpu and not one_thread), report
    assert ("no WebGPU" in report["lacks"]) == no_webgpu, report
    assert ("one processor core" in report["lacks"]) == one_thread, report
