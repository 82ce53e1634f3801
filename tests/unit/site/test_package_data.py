"""The installed package carries what `bgzero remove` reads (the model cards, the browser's
pure modules) and reads nothing of the checkout: its wheel alone removes a background."""

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from bgzero.eval.groundtruth import photos

ROOT = Path(__file__).resolve().parents[3]
# The wheel's bgzero, without the editable install's finder (which maps into the checkout).
ALONE = """
import runpy, sys
sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__]
import bgzero
assert bgzero.__file__.startswith(sys.path[1]), bgzero.__file__  # sys.path[0] is "" for -c
runpy.run_module("bgzero", run_name="__main__", alter_sys=True)
"""


def test_every_folder_of_the_package_is_in_the_wheel_list():
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folders = {
        ".".join(p.parent.relative_to(ROOT / "src").parts)
        for p in (ROOT / "src" / "bgzero").rglob("__init__.py")
    }
    missing = folders - set(setuptools["packages"])
    assert not missing, f"not in pyproject.toml's packages: {sorted(missing)}"


def wheel_of_the_checkout(folder: Path) -> Path:
    """Built from a copy: setuptools leaves build/ where it builds, and reuses it."""
    source = folder / "source"
    for name in ("src", "models"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("*.egg-info"))
    for name in ("pyproject.toml", "README.md", "LICENSE.md"):
        shutil.copyfile(ROOT / name, source / name)
    command = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"]
    subprocess.run([*command, "-w", str(folder), str(source)], check=True)
    (wheel,) = folder.glob("bgzero-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """bgzero from its wheel alone: run(*arguments) in an empty folder, with an empty download
    cache and BGZERO_ROOT at a folder that does not exist."""
    folder = tmp_path_factory.mktemp("wheel")
    with zipfile.ZipFile(wheel_of_the_checkout(folder)) as archive:
        names = archive.namelist()
        archive.extractall(folder / "installed")
    env = {
        **os.environ,
        "PYTHONPATH": str(folder / "installed"),
        "BGZERO_ROOT": str(folder / "none"),
        "BGZERO_CACHE": str(folder / "cache"),
    }

    def run(*arguments):
        command = [sys.executable, "-c", ALONE, *map(str, arguments)]
        return subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)

    run.names = names
    return run


def test_the_wheel_alone_removes_a_background(installed, tmp_path):
    assert "bgzero/model_cards/u2netp.toml" in installed.names
    assert "bgzero/browser_shared/formats.py" in installed.names
    photo = photos("pets")[0]
    done = installed("remove", photo, "-o", tmp_path)
    assert done.returncode == 0, done.stderr
    (result,) = tmp_path.glob("*.png")
    assert Image.open(result).mode == "RGBA"
    assert Image.open(result).size == Image.open(photo).size


def test_an_int8_model_without_its_calibration_photos_is_refused_clearly(installed, tmp_path):
    done = installed("remove", photos("pets")[0], "-o", tmp_path, "--model", "isnet-int8")
    assert done.returncode == 1
    assert "calibrated on the labelled photos of a BG Zero checkout" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
