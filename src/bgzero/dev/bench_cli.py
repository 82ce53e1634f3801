"""`make bench`, command-line part: photos per second of `bgzero remove` (jobs 1 and 2, and
on a local Ray, its start included) and of rembg's own batch command (`rembg p -m u2netp`)
on the same folder of photos.

rembg is installed from PyPI into its own cached virtual environment (it pins other
versions of our dependencies), and finds its u2netp weights where it looks for them
(U2NET_HOME): the very file our u2netp card is built from, so both run the same network.
Each command runs twice and the second run is timed (warm file cache, like a user's rerun).
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bgzero.eval.groundtruth import photos
from bgzero.models import assets
from bgzero.models.cards import load_cards

REMBG = "2.0.86"


def flat_folder(folder: Path) -> Path:
    """The labelled photos (pets and people) side by side in one folder, as rembg p wants."""
    folder.mkdir(parents=True, exist_ok=True)
    for photo in photos("pets") + photos("people"):
        shutil.copy(photo, folder / photo.name)
    return folder


def _second_run(command: list[str], out: Path, env: dict | None = None) -> float:
    for _ in range(2):
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        started = time.perf_counter()
        subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
        seconds = time.perf_counter() - started
    return seconds


def rembg_env(cache: Path) -> tuple[Path, dict]:
    """(rembg executable, environment) from a cached venv, installed on first use."""
    venv = cache / f"rembg-{REMBG}"
    rembg = venv / "bin" / "rembg"
    if not rembg.is_file():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check"]
        subprocess.run([*pip, f"rembg[cpu,cli]=={REMBG}"], check=True)
    home = cache / "u2net"
    home.mkdir(parents=True, exist_ok=True)
    weights = home / "u2netp.onnx"
    if not weights.is_file():
        weights.write_bytes(assets.model_source(load_cards()["u2netp"], cache))
    return rembg, {**os.environ, "U2NET_HOME": str(home)}


def run(work: Path, jobs: tuple[int, ...] = (1, 2)) -> dict:
    """{label: (photos, seconds)} for bgzero remove at each job count and for rembg p."""
    folder = flat_folder(work / "photos")
    count = len(list(folder.iterdir()))
    results = {}
    command = [sys.executable, "-m", "bgzero", "remove", str(folder), "-o", str(work / "out")]
    for n in jobs:
        seconds = _second_run([*command, "--jobs", str(n)], work / "out")
        results[f"bgzero remove --jobs {n}"] = (count, seconds)
    env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}  # a local Ray
    seconds = _second_run([*command, "--engine", "ray"], work / "out", env)
    results["bgzero remove --engine ray"] = (count, seconds)
    try:
        rembg, env = rembg_env(assets.cache_dir())
        out = work / "rembg"
        seconds = _second_run([str(rembg), "p", str(folder), str(out), "-m", "u2netp"], out, env)
        results[f"rembg {REMBG} p -m u2netp"] = (count, seconds)
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"rembg not measured: {error}", file=sys.stderr)
    return results


def report(results: dict) -> str:
    lines = ["command-line batch (u2netp; ours with refinement and decontamination)"]
    for label, (count, seconds) in results.items():
        lines.append(f"  {label:<34}{count} photos in {seconds:6.1f} s: {count / seconds:5.2f} /s")
    return "\n".join(lines)
