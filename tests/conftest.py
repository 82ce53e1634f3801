import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Browser-side pure modules are plain files, not an installed package.
sys.path.insert(0, str(ROOT / "src" / "web"))
# Helpers both halves of the suite use (made_photos, make_bad_inputs).
sys.path.insert(0, str(ROOT / "tests"))
