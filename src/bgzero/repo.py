"""Where the checkout's data lives: model cards, static pages, the browser's Python, the lock files.

The one module that knows the layout of the source tree, so the others never count `parents`.
BGZERO_ROOT points elsewhere (an installed package run against a checkout of the same version).
"""

import os
from pathlib import Path

ROOT = Path(os.environ.get("BGZERO_ROOT", Path(__file__).resolve().parents[2]))
CARDS = ROOT / "models"
STATIC = ROOT / "static"
WEB = ROOT / "src" / "web"
GT = ROOT / "tests" / "data" / "gt"
