"""A model the user brings: reading its interface from the file's bytes (the browser has no
onnx package), the checks and presets, and `bgzero remove --model-file` end to end."""

import numpy as np
import onnx
import pytest
from made_models import rmbg_like, two_inputs
from onnx import TensorProto, helper, numpy_helper
from PIL import Image

from bgzero.cli import main
from bgzero.eval.groundtruth import photos
from bgzero.web_shared import onnx_info, own_model


def info_of(path):
    data = path.read_bytes()
    return onnx_info.read(data.__getitem__, len(data))


def test_the_interface_is_read_from_the_bytes_as_onnx_reads_it(tmp_path):
    info = info_of(rmbg_like(tmp_path / "m.onnx"))
    assert info["inputs"] == [{"name": "input", "type": "float32", "dims": [1, 3, 1024, 1024]}]
    assert info["outputs"] == [{"name": "output", "type": "float32", "dims": [1, 1, 1024, 1024]}]
    free = info_of(rmbg_like(tmp_path / "free.onnx", size=None))
    assert free["inputs"][0]["dims"] == [1, 3, "side", "side"]
    half = info_of(rmbg_like(tmp_path / "half.onnx", kind=TensorProto.FLOAT16))
    assert half["inputs"][0]["type"] == "float16"


def test_weights_listed_as_inputs_are_not_inputs(tmp_path):
    path = rmbg_like(tmp_path / "old.onnx", size=64)
    model = onnx.load(path)
    for weight in model.graph.initializer:  # how old exporters wrote them
        array = numpy_helper.to_array(weight)
        model.graph.input.append(
            helper.make_tensor_value_info(weight.name, TensorProto.FLOAT, array.shape)
        )
    onnx.save(model, path)
    assert [i["name"] for i in info_of(path)["inputs"]] == ["input"]


@pytest.mark.parametrize(
    "data",
    [b"", b"\x89PNG\r\n\x1a\n" + bytes(200), b"hello world, not a model", bytes(range(256)) * 4],
)
def test_a_file_that_is_not_onnx_is_told_so(data):
    with pytest.raises(onnx_info.OnnxError, match="not an ONNX model"):
        onnx_info.read(data.__getitem__, len(data))


def test_a_truncated_model_is_told_so(tmp_path):
    data = rmbg_like(tmp_path / "m.onnx").read_bytes()[:-40]
    with pytest.raises(onnx_info.OnnxError):
        onnx_info.read(data.__getitem__, len(data))


def test_settle_takes_the_models_fixed_size_and_the_presets_normalisation(tmp_path):
    info = info_of(rmbg_like(tmp_path / "m.onnx", size=512))
    settled = own_model.settle(info, "u2net")
    assert settled["size"] == 512
    assert settled["mean"] == own_model.IMAGENET["mean"]
    assert own_model.guess_preset(info_of(rmbg_like(tmp_path / "r.onnx"))) == "rmbg-1.4"
    free = info_of(rmbg_like(tmp_path / "free.onnx", size=None))
    assert own_model.settle(free, "u2net")["size"] == 320
    assert own_model.settle(free, "u2net", size=256)["size"] == 256
    with pytest.raises(own_model.OwnModelError, match="fixed at 512"):
        own_model.settle(info, size=256)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: two_inputs(p), "takes 2 inputs"),
        (lambda p: rmbg_like(p, channels=4, size=64), r"needs an image \[1, 3"),
        (lambda p: rmbg_like(p, kind=TensorProto.UINT8, size=64), "only float32"),
        (lambda p: rmbg_like(p, size=32), "outside 64"),
    ],
)
def test_an_unusable_model_gets_a_clear_message(tmp_path, make, message):
    info = info_of(make(tmp_path / "m.onnx"))
    with pytest.raises(own_model.OwnModelError, match=message):
        own_model.settle(info)


def test_size_limit():
    own_model.check_bytes(1000)
    with pytest.raises(own_model.OwnModelError, match="up to 1 GB"):
        own_model.check_bytes(own_model.MAX_BYTES + 1)
    with pytest.raises(own_model.OwnModelError, match="empty"):
        own_model.check_bytes(0)


def test_remove_with_a_model_file_cuts_with_it(tmp_path, capsys):
    model = rmbg_like(tmp_path / "toy.onnx")
    photo = photos("pets")[0]
    assert (
        main(["remove", str(photo), "-o", str(tmp_path / "out"), "--model-file", str(model)]) == 0
    )
    result = Image.open(tmp_path / "out" / f"{photo.stem}-nobg.png")
    assert result.size == Image.open(photo).size
    alpha = np.asarray(result.getchannel("A"))
    assert 0.05 < (alpha > 127).mean() < 0.95, "the toy model keeps part of the photo"
    # Another normalisation is another cut-out: the settings reach the model.
    assert (
        main(
            [
                "remove",
                str(photo),
                "-o",
                str(tmp_path / "u2"),
                "--model-file",
                str(model),
                "--mean",
                "0.9,0.9,0.9",
                "--std",
                "0.2,0.2,0.2",
            ]
        )
        == 0
    )
    other = np.asarray(Image.open(tmp_path / "u2" / f"{photo.stem}-nobg.png").getchannel("A"))
    assert (other != alpha).mean() > 0.01


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b"not a model") and p, "not an ONNX model"),
        (lambda p: two_inputs(p), "takes 2 inputs"),
        (lambda p: rmbg_like(p, upsample=False), "output has 4096 values"),
    ],
)
def test_remove_with_an_unusable_model_file_exits_with_its_message(tmp_path, capsys, make, message):
    path = make(tmp_path / "bad.onnx")
    assert (
        main(["remove", str(photos("pets")[0]), "-o", str(tmp_path), "--model-file", str(path)])
        == 2
    )
    assert message in capsys.readouterr().err


def test_every_preset_is_in_the_menu_order():
    assert sorted(own_model.ORDER) == sorted(own_model.PRESETS)
