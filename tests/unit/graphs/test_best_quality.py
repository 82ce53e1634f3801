""" "Best quality": two models' masks mixed by the mix graph, then refined; the [best] card
section, `bgzero remove --quality`, and the embed API's `quality`."""

import pathlib
import sys

import numpy as np
import onnxruntime as ort
import pytest
from PIL import Image

from bgzero.cli import main
from bgzero.eval.groundtruth import GT, samples
from bgzero.graphs.mix import FLOOR, build_mirror, build_mix
from bgzero.models.cards import CARDS_DIR, best_card, load_card, load_cards
from bgzero.native import pipeline, settings

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "src" / "web"))

from shared import embed_protocol as protocol

PHOTO = sorted((GT / "pets" / "images").glob("*.jpg"))[0]


def run_mix(mix, weight, first, first_box, second, second_box, grid):
    session = ort.InferenceSession(build_mix(mix, weight).SerializeToString())
    feeds = {
        "first": first[None, None],
        "first_box": np.array(first_box, np.int64),
        "second": second[None, None],
        "second_box": np.array(second_box, np.int64),
        "grid": np.array(grid, np.int64),
    }
    return session.run(None, feeds)[0][0, 0]


def test_each_mask_is_cut_to_its_box_then_mixed_on_the_grid():
    # The first model stretched the photo over its square; the second letterboxed it into
    # its middle rows. Both say "left half": mixed, the grid's left half, whatever the sizes.
    first = np.zeros((64, 64), np.uint8)
    first[:, :32] = 255
    second = np.full((32, 32), 77, np.uint8)  # the padding's value must not leak in
    second[8:24, :16] = 255
    second[8:24, 16:] = 0
    mixed = run_mix("mean", 0.5, first, (0, 0, 64, 64), second, (8, 0, 24, 32), (30, 60))
    assert mixed.shape == (30, 60)
    assert (mixed[:, :28] == 255).all() and (mixed[:, 32:] == 0).all()


def test_mean_and_confident_mixing():
    sure = np.full((16, 16), 255, np.uint8)  # the first: certain
    unsure = np.full((16, 16), 115, np.uint8)  # the second: hesitating (0.45)
    box = (0, 0, 16, 16)
    mean = run_mix("mean", 0.7, sure, box, unsure, box, (16, 16))
    assert np.all(mean == round(255 * (0.7 + 0.3 * 115 / 255)))
    confident = run_mix("confident", 0.5, sure, box, unsure, box, (16, 16))
    k1, k2 = 0.5 + FLOOR, abs(115 / 255 - 0.5) + FLOOR
    expected = (k1 * 1 + k2 * 115 / 255) / (k1 + k2)
    assert np.all(np.abs(confident.astype(float) - 255 * expected) <= 1)
    assert confident[0, 0] > mean[0, 0] > 0  # the sure model decides more


def test_the_second_look_is_the_mirrored_square_turned_back():
    photo = np.zeros((1, 8, 8, 4), np.uint8)
    photo[:, :, :3] = 200  # something in the top-left corner
    mirrored = ort.InferenceSession(build_mirror().SerializeToString()).run(None, {"rgba": photo})
    assert (mirrored[0][0, :, -3:] == photo[0, :, :3]).all()
    # A model that saw the left half, and in the mirror the right one: turned back, both
    # looks say "left"; their mean is the first model's mask.
    look = np.zeros((8, 8), np.uint8)
    look[:, :4] = 255
    session = ort.InferenceSession(build_mix("mean", 1.0, flip=True).SerializeToString())
    feeds = {
        "first": look[None, None],
        "first_box": np.array((0, 0, 8, 8), np.int64),
        "first_mirror": look[:, ::-1].copy()[None, None],
        "second": np.zeros((1, 1, 4, 4), np.uint8),
        "second_box": np.array((0, 0, 4, 4), np.int64),
        "grid": np.array((8, 8), np.int64),
    }
    assert (session.run(None, feeds)[0][0, 0] == look).all()
    feeds["first_mirror"] = look[None, None]  # the mirror disagrees: half sure everywhere
    assert set(np.unique(session.run(None, feeds)[0])) == {128}


def test_a_bad_mix_is_refused():
    with pytest.raises(ValueError):
        build_mix("max", 0.5)
    with pytest.raises(ValueError):
        build_mix("mean", 1.5)


def test_best_card_section_is_checked(tmp_path):
    card = best_card(load_cards())
    assert card is not None and card.best["partner"] != card.id
    text = (CARDS_DIR / f"{card.id}.toml").read_text()
    broken = tmp_path / "c.toml"
    broken.write_text(text.replace("weight = ", "wait = "))
    with pytest.raises(ValueError, match=r"\[best\]"):
        load_card(broken)
    broken.write_text(text.replace("refine = true", "refine = false"))
    with pytest.raises(ValueError):
        load_card(broken)


def test_best_mixes_two_models_and_differs_from_each():
    photo = pipeline.open_photo(PHOTO)
    best = pipeline.default_setting(settings.BEST)
    assert best.partner and best.partner != best.model and "+" in best.label()
    mixed = pipeline.cutout_alpha(photo, best)
    first = pipeline.cutout_alpha(photo, best.alone())
    second = pipeline.cutout_alpha(photo, best.partner_setting())
    assert mixed.shape == first.shape == (photo.height, photo.width)
    assert np.abs(mixed.astype(int) - first).mean() > 0.1
    assert np.abs(mixed.astype(int) - second).mean() > 0.1


def test_remove_quality_best(tmp_path, capsys):
    assert main(["remove", str(PHOTO), "-o", str(tmp_path), "--quality", "best"]) == 0
    written = np.asarray(Image.open(tmp_path / f"{PHOTO.stem}-nobg.png"))
    native = pipeline.cutout_rgba(pipeline.open_photo(PHOTO), pipeline.default_setting("best"))
    assert np.array_equal(written, native)
    out = tmp_path / "x"
    assert main(["remove", str(PHOTO), "-o", str(out), "--quality", "best", "--model", "u2netp"])
    assert "--quality best picks its own models" in capsys.readouterr().err
    assert main(["remove", str(PHOTO), "-o", str(out), "--quality", "fast"]) == 0


@pytest.mark.parametrize(
    "options, model",
    [
        ({"quality": "best"}, "best"),
        ({"quality": "best", "model": "best"}, "best"),
        ({"model": "best"}, "best"),
        ({"quality": "fast"}, None),
        ({"quality": "fast", "model": "u2netp"}, "u2netp"),
    ],
)
def test_embed_quality(options, model):
    view = {
        "kind": "Object",
        "image": "Blob",
        "fields": {"type": protocol.REMOVE, "id": 1, "options": options},
        "problem": None,
    }
    assert protocol.read_request(view, ["u2netp", "best"])["model"] == model


@pytest.mark.parametrize(
    "options, models, code",
    [
        ({"quality": "good"}, ["u2netp", "best"], "bad-message"),
        ({"quality": 1}, ["u2netp", "best"], "bad-message"),
        ({"quality": "best", "model": "u2netp"}, ["u2netp", "best"], "bad-message"),
        ({"quality": "best"}, ["u2netp"], "unknown-model"),
    ],
)
def test_embed_quality_refusals(options, models, code):
    view = {
        "kind": "Object",
        "image": "Blob",
        "fields": {"type": protocol.REMOVE, "id": 1, "options": options},
        "problem": None,
    }
    with pytest.raises(protocol.ProtocolError) as refused:
        protocol.read_request(view, models)
    assert refused.value.code == code and refused.value.has_id


def test_sets_beyond_the_repository_are_found(tmp_path, monkeypatch):
    """A folder of images/ and masks/ in BGZERO_GT_MORE is a set `bgzero eval` scores, soft
    masks scored as mattes."""
    from bgzero.eval import groundtruth

    folder = tmp_path / "mattes"
    (folder / "images").mkdir(parents=True)
    (folder / "masks").mkdir()
    Image.open(PHOTO).save(folder / "images" / "a.png")
    w, h = Image.open(PHOTO).size
    ramp = np.tile(np.linspace(0, 255, w).astype(np.uint8), (h, 1))
    Image.fromarray(ramp, "L").save(folder / "masks" / "a.png")
    monkeypatch.setattr(groundtruth, "MORE", [tmp_path])
    assert groundtruth.eval_sets() == ("pets", "people", "mattes")
    truth = samples("mattes")[0].load()
    assert truth.alpha.min() == 0 and truth.alpha.max() == 1
    assert 0.4 < truth.alpha.mean() < 0.6 and truth.foreground.mean() == pytest.approx(0.5, 0.05)
