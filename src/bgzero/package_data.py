"""What the installed package reads besides its code: the model cards and the browser's pure
modules, mapped into it from models/ and src/web/shared (pyproject.toml), so that a wheel and
an editable install find them the same way, and neither looks for a checkout."""

import importlib.util
from pathlib import Path


def folder(package: str) -> Path:
    """The folder of one of bgzero's data packages."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"{package} is missing: install bgzero (pip install -e .)")
    return Path(next(iter(spec.submodule_search_locations)))


CARDS = folder("bgzero.model_cards")
WEB_SHARED = folder("bgzero.browser_shared")
