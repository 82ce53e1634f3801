"""The built graph of a card with [litert], converted for LiteRT.js (XNNPACK in WebAssembly):
the browser's second CPU runtime beside onnxruntime-web (docs/speed.md has the race).

The converter, onnx2tf (its flatbuffer backend: no TensorFlow), lives in its own venv in the
cache, installed from models/onnx2tf.txt: the app never imports it, and `bgzero build` pays for
it once (about 30 s) and then once per built graph (4 s for u2netp). onnx2tf 2.x declares
Python >= 3.12 but its flatbuffer path runs on 3.11 (checked: the same bytes on both), hence
--ignore-requires-python. Its onnx-simplifier pass stays on: without it (-nuo) u2netp
converts but XNNPACK cannot prepare the graph.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bgzero.models.assets import AssetError, sha256
from bgzero.models.cards import Card
from bgzero.package_data import CARDS

REQUIREMENTS = CARDS / "onnx2tf.txt"
# The graph's input stays NHWC uint8 [1, h, w, 4], as the page feeds it.
_FLAGS = ["-b", "1", "-kat", "rgba", "-n"]


def _converter(cache: Path) -> Path:
    """The venv's bin folder, made once per requirements file."""
    pinned = REQUIREMENTS.read_bytes()
    venv = cache / f"onnx2tf-{sha256(pinned)[:12]}"
    done = venv / ".installed"
    if not done.is_file():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
        subprocess.run(
            [*pip, "--ignore-requires-python", "--no-deps", "-r", str(REQUIREMENTS)], check=True
        )
        done.write_text(sha256(pinned))
    return venv / "bin"


def converter_python(cache: Path) -> Path:
    """The converter venv's Python (with LiteRT's interpreter), made if need be."""
    return _converter(cache) / "python"


def convert(card: Card, built: bytes, cache: Path) -> bytes:
    """The card's built graph as a .tflite, from the cache when this graph was converted
    before; checked against the card's [litert] sha256."""
    path = cache / "derived" / f"{card.id}-{sha256(built)[:16]}.tflite"
    if not path.is_file():
        bin_dir = _converter(cache)
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "model.onnx"
            source.write_bytes(built)
            env = {**os.environ, "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"}
            done = subprocess.run(
                [str(bin_dir / "onnx2tf"), "-i", str(source), "-o", tmp, *_FLAGS],
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp,
            )
            out = Path(tmp) / "model_float32.tflite"
            if done.returncode != 0 or not out.is_file():
                raise AssetError(f"onnx2tf could not convert {card.id}: {done.stderr[-2000:]}")
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(out.read_bytes())
            partial.replace(path)
    data = path.read_bytes()
    if card.litert and sha256(data) != card.litert["sha256"]:
        raise AssetError(
            f"{card.id}'s LiteRT graph has sha256 {sha256(data)}, model card "
            f"{card.path.name} says {card.litert['sha256']}: the converter or the graph changed"
        )
    return data
