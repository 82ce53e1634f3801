"""The ground-truth photo sets in ../shared/data/gt (read-only; see their README)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GT = Path(os.environ.get("BGZERO_GT", ROOT.parent / "shared" / "data" / "gt"))


def photos(subset: str) -> list[Path]:
    """Sorted photos of `pets` or `people`."""
    return sorted((GT / subset / "images").glob("*.jpg"))
