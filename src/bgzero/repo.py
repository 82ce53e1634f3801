"""The checkout that the developer's commands read: `bgzero build` (static pages, the browser's
Python, the npm lock), `bgzero eval` and the quantiser's calibration photos (tests/data/gt).
`bgzero remove` and `serve` never need it: the installed package carries its data
(package_data.py). BGZERO_ROOT points elsewhere (an installed package run against a checkout).
"""

import os
from pathlib import Path

ROOT = Path(os.environ.get("BGZERO_ROOT", Path(__file__).resolve().parents[2]))
GT = ROOT / "tests" / "data" / "gt"
