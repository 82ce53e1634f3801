"""A model the user brings, in real Chromium: chosen from the model menu as a person would,
it cuts as `bgzero remove --model-file` does; files it cannot use get a message each and
the built-in model keeps working."""

from made_models import rmbg_like, two_inputs

from bgzero.eval.groundtruth import photos
from bgzero.native import own
from brought import choose_model_file, keep_model_file, use_model_file
from oracle import assert_matches_native

PET = photos("pets")[3]


def test_a_brought_model_cuts_like_the_cli(app, tmp_path):
    model = rmbg_like(tmp_path / "toy-rmbg.onnx")
    app.open()
    use_model_file(app, model)
    assert "toy-rmbg.onnx" in app.page.inner_text("#own-info")
    assert "[1, 3, 1024, 1024]" in app.page.inner_text("#own-info")
    assert app.page.input_value("#own-preset") == "rmbg-1.4"
    app.cut(PET)
    png = app.download(tmp_path)
    card = own.load(model, "rmbg-1.4")  # what `bgzero remove --model-file` runs
    assert_matches_native(png, PET, model=card.id)
    # Nothing about the model or the photo left the page.
    posts = [r for r in app.log.requests if r[0] != "GET" or ("onnx" in r[1] and "toy" in r[1])]
    assert posts == []
    assert app.log.console_errors() == []


def test_unusable_model_files_get_a_message_and_the_built_in_model_still_cuts(app, tmp_path):
    app.open()
    default = app.page.input_value("#model")
    not_onnx = tmp_path / "notes.onnx"
    not_onnx.write_bytes(b"these are my notes, not a model\n" * 100)
    huge = tmp_path / "huge.onnx"
    with huge.open("wb") as f:  # sparse: the size is what counts
        f.truncate((1 << 30) + 1)
    cases = [
        (not_onnx, "not an ONNX model"),
        (two_inputs(tmp_path / "two.onnx"), "takes 2 inputs"),
        (rmbg_like(tmp_path / "rgba.onnx", channels=4, size=64), "needs an image [1, 3"),
        (huge, "up to 1 GB"),
        (rmbg_like(tmp_path / "small-out.onnx", upsample=False), "output has 4096 values"),
    ]
    for path, message in cases:
        choose_model_file(app, path)
        app.page.wait_for_function(
            "m => document.getElementById('message').textContent.includes(m)", arg=message
        )
        assert app.page.input_value("#model") == default
        app.page.evaluate("document.getElementById('message').textContent = ''")
    app.cut(PET)
    assert app.state() == "done"
    assert app.log.console_errors() == []


def test_a_kept_model_is_offered_on_the_next_visit(app, tmp_path):
    model = rmbg_like(tmp_path / "kept-toy.onnx")
    app.open()
    keep_model_file(app, model)
    app.open()  # the next visit, same browser profile
    label = app.page.locator("#model option", has_text="kept-toy.onnx")
    value = label.get_attribute("value")
    app.page.select_option("#model", value)
    app.page.wait_for_function("(document.body.dataset.ownModel || '').startsWith('own-')")
    assert app.page.is_checked("#own-keep")
    app.cut(PET)
    assert_matches_native(app.download(tmp_path), PET, model=own.load(model).id)
    app.page.uncheck("#own-keep")  # forgotten: the visit after has only the built-in models
    app.page.wait_for_function("document.body.dataset.ownKept === 'no'")
    app.open()
    assert app.page.locator("#model option", has_text="kept-toy.onnx").count() == 0
    assert app.log.console_errors() == []
