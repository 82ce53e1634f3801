"""The browser's own geometry module (src/web/shared/geometry.py), loaded from its file so
the native pipeline computes exactly the boxes and sizes the page does."""

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "web" / "shared" / "geometry.py"
_spec = importlib.util.spec_from_file_location("bgzero_web_geometry", _PATH)
_module = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_module)

FITS = _module.FITS
REFINE_MAX_PIXELS = _module.REFINE_MAX_PIXELS
model_box = _module.model_box
guide_size = _module.guide_size
working_size = _module.working_size
