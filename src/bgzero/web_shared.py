"""The browser's pure modules (src/web/shared), imported from their files so the native side
computes exactly what the page does: the same boxes and sizes, file names and formats."""

import importlib
import importlib.util
import sys
from pathlib import Path

from bgzero.package_data import WEB_SHARED as _SHARED


def _package():
    # The modules import each other as `shared.<name>`, so the package keeps that name.
    loaded = sys.modules.get("shared")
    if loaded is not None:
        if Path(loaded.__file__).resolve().parent != _SHARED.resolve():
            raise ImportError(f"another package named 'shared' is loaded: {loaded.__file__}")
        return loaded
    spec = importlib.util.spec_from_file_location(
        "shared", _SHARED / "__init__.py", submodule_search_locations=[str(_SHARED)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["shared"] = module
    spec.loader.exec_module(module)
    return module


_package()
backgrounds = importlib.import_module("shared.backgrounds")
catalog = importlib.import_module("shared.catalog")
formats = importlib.import_module("shared.formats")
geometry = importlib.import_module("shared.geometry")
i18n = importlib.import_module("shared.i18n")
naming = importlib.import_module("shared.naming")
onnx_info = importlib.import_module("shared.onnx_info")
own_model = importlib.import_module("shared.own_model")
shadows = importlib.import_module("shared.shadows")
smart = importlib.import_module("shared.smart")
