"""The larger models in real Chromium, checked against `bgzero remove`: IS-Net (in the
photo's proportions too) and "Best quality". A file of their own, so that the two pytest
workers share the suite's longest cuts."""

from dataclasses import replace

from PIL import Image

from bgzero.eval.groundtruth import photos
from bgzero.native.pipeline import default_setting
from oracle import alpha_difference, assert_matches_native

PETS = photos("pets")
PEOPLE = photos("people")


def test_isnet_quint8_cutout_matches_native(app, tmp_path):
    app.open(model="isnet-quint8")
    app.cut(PETS[2])
    assert "isnet-quint8" in app.status() and "wasm" in app.status()
    assert_matches_native(app.download(tmp_path), PETS[2], "isnet-quint8")
    assert app.log.console_errors() == []
    # The working size in the photo's proportions (?fit=aspect, which no card ships yet):
    # the worker's h×w input is the native pipeline's, so are the cut-outs.
    app.open(model="isnet-quint8", fit="aspect", wait=False)  # the photo waits for the model
    photo = next(p for p in PEOPLE if Image.open(p).height > 1.2 * Image.open(p).width)
    app.cut(photo)
    stretch = default_setting("isnet-quint8")
    aspect = replace(stretch, fit="aspect")
    png = app.download(tmp_path)
    assert_matches_native(png, photo, setting=aspect)
    # and it is that input's answer, not the square's
    near, far = alpha_difference(png, photo, aspect), alpha_difference(png, photo, stretch)
    assert near < far / 2, f"{near * 255:.3f} levels from aspect's, {far * 255:.3f} from stretch's"
    assert app.log.console_errors() == []


def test_best_quality_mixes_two_models_as_natively(app, tmp_path):
    """ "Best quality" in the page: IS-Net and u2netp in one worker, their masks mixed by the
    mix graph, refined and decontaminated; the same as `bgzero remove --quality best`."""
    app.open(model="best")
    app.cut(PEOPLE[1])
    assert "best" in app.status(), app.status()
    assert_matches_native(app.download(tmp_path), PEOPLE[1], "best")
    # The next photo in the same worker: both sessions kept, still the same answer.
    app.cut(PETS[5])
    assert_matches_native(app.download(tmp_path), PETS[5], "best")
    assert app.log.console_errors() == []
