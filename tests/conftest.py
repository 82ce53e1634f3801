import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Browser-side pure modules are plain files, not an installed package.
sys.path.insert(0, str(ROOT / "src" / "web"))
