import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Browser-side pure modules are plain files, not an installed package.
sys.path.insert(0, str(ROOT / "src" / "web"))
# Helpers the suite shares: made_photos, make_bad_inputs (tests/), numpy_ops (tests/unit/),
# oracle and editing (tests/browser/): the tests live in folders by area beneath them.
for helpers in ("tests", "tests/unit", "tests/browser"):
    sys.path.insert(0, str(ROOT / helpers))
