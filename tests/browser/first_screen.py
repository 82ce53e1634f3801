"""The first screen's boxes (first_screen.js, shared with the Firefox flow) and the check that
one lies wholly in the window."""

from pathlib import Path

BOXES = Path(__file__).with_name("first_screen.js").read_text()


def inside(box, seen):
    """Whether the [left, top, right, bottom] box lies in the window `seen` describes."""
    left, top, right, bottom = box
    return (
        left >= -0.5
        and top >= -0.5
        and right <= seen["width"] + 0.5
        and bottom <= seen["height"] + 0.5
    )
