"""Many photos at once in the page: a queue with states, cancel, retry and a ZIP of the
finished ones, in real Chromium, checked against `bgzero remove`."""

import base64
import io
import zipfile

import numpy as np
from PIL import Image

from bgzero.eval.groundtruth import photos
from bgzero.native.output import cast_shadow
from oracle import assert_matches_native
from shared import shadows

PETS = photos("pets")

_DROP_MANY = """async (files) => {
  const data = new DataTransfer();
  for (const [name, type, b64] of files) {
    const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
    data.items.add(new File([bytes], name, {type}));
  }
  document.getElementById("drop").dispatchEvent(
    new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
}"""


def _drop(app, files):
    """Drop (name, bytes) files at once, as a user dropping a selection would."""
    encoded = [(name, "image/jpeg", base64.b64encode(data).decode()) for name, data in files]
    app.page.evaluate(_DROP_MANY, encoded)


def _rows(app):
    return app.page.eval_on_selector_all(
        "#queue li",
        "items => items.map(li => [li.querySelector('.name').textContent, li.dataset.state,"
        " li.querySelector('.state').textContent])",
    )


def test_five_photos_dropped_at_once_make_four_results_one_message_and_a_zip(app, tmp_path):
    app.open()
    pets = PETS[:4]
    broken = PETS[4].read_bytes()[:3000]  # a JPEG cut short: its row says why
    files = [(p.name, p.read_bytes()) for p in pets[:2]]
    files += [("broken.jpg", broken)] + [(p.name, p.read_bytes()) for p in pets[2:]]
    before = app.handled()
    _drop(app, files)
    app._wait_handled(before, 5)
    rows = _rows(app)
    assert [name for name, _, _ in rows] == [name for name, _ in files]
    states = {name: state for name, state, _ in rows}
    assert states.pop("broken.jpg") == "failed" and set(states.values()) == {"done"}
    [broken_text] = [text for name, _, text in rows if name == "broken.jpg"]
    assert "damaged" in broken_text, broken_text
    assert app.page.is_visible("#batch") and "4 done · 1 failed" in app.page.inner_text(
        "#queue-summary"
    )

    with app.page.expect_download() as download:
        app.page.click("#zip")
    archive = tmp_path / "all.zip"
    download.value.save_as(archive)
    assert download.value.suggested_filename == "bgzero-nobg.zip"
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.testzip() is None
        names = zipped.namelist()
        assert names == [f"{p.stem}-nobg.png" for p in pets]
        for pet in pets:
            data = zipped.read(f"{pet.stem}-nobg.png")
            with Image.open(io.BytesIO(data)) as image:
                assert image.mode == "RGBA" and image.size == Image.open(pet).size
            assert_matches_native(io.BytesIO(data), pet)
    assert app.log.console_errors() == []


def test_cancel_a_row_while_it_cuts_then_retry_it(app, tmp_path):
    app.open()
    big = tmp_path / "big.png"  # a cut long enough to cancel: refinement at 8 MP
    with Image.open(PETS[1]) as image:
        image.convert("RGB").resize((3500, 2300), Image.Resampling.BICUBIC).save(big)
    files = [("big.png", big.read_bytes()), (PETS[0].name, PETS[0].read_bytes())]
    before = app.handled()
    _drop(app, files)
    app.page.wait_for_selector("#queue li[data-state='cutting'] .state:text-matches('Removing')")
    app.page.click("#queue li[data-state='cutting'] button[data-action='cancel']")
    app._wait_handled(before, 2)
    assert [(name, state) for name, state, _ in _rows(app)] == [
        ("big.png", "cancelled"),
        (PETS[0].name, "done"),
    ]
    assert_matches_native(app.download(tmp_path), PETS[0])  # the next photo cut as before
    app.page.click("#queue li[data-state='cancelled'] button[data-action='retry']")
    app._wait_handled(before, 3)
    assert [state for _, state, _ in _rows(app)] == ["done", "done"]
    assert app.log.console_errors() == []


def _zip(app, tmp_path, name):
    with app.page.expect_download() as download:
        app.page.click("#zip")
    archive = tmp_path / name
    download.value.save_as(archive)
    return zipfile.ZipFile(archive)


def _rgb(data):
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        return np.asarray(image.convert("RGB")).astype(int)


def test_the_zip_follows_the_format_and_background_chosen_after_the_cut(app, tmp_path):
    app.open()
    page = app.page
    # Cut as JPEG on red: no download is the transparent master, so each row makes its own
    # when its cut-out leaves the screen (the last one when the ZIP needs it).
    app.show_options()
    page.select_option("#background", "colour")
    page.fill("#bg-colour", "#ff0000")
    page.select_option("#format", "jpeg")
    pets = PETS[:3]
    before = app.handled()
    _drop(app, [(p.name, p.read_bytes()) for p in pets])
    app._wait_handled(before, 3)
    with _zip(app, tmp_path, "jpeg.zip") as zipped:
        assert zipped.namelist() == [f"{p.stem}-nobg.jpg" for p in pets]
        on_red = {p.stem: _rgb(zipped.read(f"{p.stem}-nobg.jpg")) for p in pets}
    # Chosen after the photos were cut: a transparent PNG, every photo follows (not only the
    # last), and on red it is what the first ZIP held.
    page.select_option("#background", "none")
    page.select_option("#format", "png")
    page.wait_for_function("document.body.dataset.format === 'png'")
    with _zip(app, tmp_path, "png.zip") as zipped:
        assert zipped.namelist() == [f"{p.stem}-nobg.png" for p in pets]
        cut = {p.stem: Image.open(io.BytesIO(zipped.read(f"{p.stem}-nobg.png"))) for p in pets}
    for pet in pets:
        assert cut[pet.stem].mode == "RGBA" and cut[pet.stem].size == on_red[pet.stem].shape[1::-1]
        alpha = np.asarray(cut[pet.stem])[..., 3]
        assert (alpha == 0).mean() > 0.05 and (alpha == 255).mean() > 0.05, pet.name
        red = Image.new("RGBA", cut[pet.stem].size, (255, 0, 0, 255))
        want = np.asarray(Image.alpha_composite(red, cut[pet.stem]).convert("RGB")).astype(int)
        assert np.abs(on_red[pet.stem] - want).mean() < 3, pet.name  # JPEG's own loss
    # And back to JPEG on red: the first ZIP's files again, re-made from the kept masters.
    page.select_option("#background", "colour")
    page.select_option("#format", "jpeg")
    page.wait_for_function("document.body.dataset.format === 'jpeg'")
    with _zip(app, tmp_path, "again.zip") as zipped:
        for pet in pets:
            again = _rgb(zipped.read(f"{pet.stem}-nobg.jpg"))
            assert np.abs(again - on_red[pet.stem]).mean() < 1, pet.name
    # A shadow chosen afterwards: every photo gets it, as `bgzero remove --shadow` draws it.
    page.check("#shadow")
    page.wait_for_function("document.body.dataset.looked === document.body.dataset.look")
    with _zip(app, tmp_path, "shadow.zip") as zipped:
        for pet in pets:
            shaded = _rgb(zipped.read(f"{pet.stem}-nobg.jpg"))
            red = Image.new("RGBA", cut[pet.stem].size, (255, 0, 0, 255))
            under = Image.alpha_composite(red, cast_shadow(cut[pet.stem], shadows.DEFAULT))
            want = np.asarray(Image.alpha_composite(under, cut[pet.stem]).convert("RGB"))
            assert np.abs(shaded - want.astype(int)).mean() < 3, pet.name
            assert np.abs(shaded - on_red[pet.stem]).mean() > 1, pet.name  # it is there
    assert app.log.console_errors() == []
