"""What the user downloads: every format of shared/formats, and a photo's own transparency
kept (page side; the CLI's is in tests/unit/test_remove_cli.py)."""

import base64
import io

import numpy as np
from PIL import Image

from bgzero.eval.groundtruth import photos
from made_photos import transparent_photo
from oracle import assert_same_picture, native_file
from shared import formats, shadows

PET = photos("pets")[6]


def choose_format(app, format_id):
    app.show_options()
    app.page.select_option("#format", format_id)
    app.page.wait_for_function(f"document.body.dataset.format === '{format_id}'")


def test_a_transparent_part_of_the_photo_stays_transparent(app, tmp_path):
    path, before = transparent_photo(PET, tmp_path)
    third = before.shape[1] // 3
    app.open()
    app.cut(path)
    after = np.asarray(Image.open(app.download(tmp_path)))[..., 3]
    assert after.shape == before.shape
    assert (after <= before).all(), int((after > before).sum())
    assert after[:, :third].max() == 0 and after.max() == 255
    assert app.log.console_errors() == []


def test_every_format_downloads_and_decodes(app, tmp_path):
    app.open()
    app.cut(PET)
    png = app.download(tmp_path)
    assert png.name == f"{PET.stem}-nobg.png"
    alpha = np.asarray(Image.open(png))[..., 3].astype(int)
    size = Image.open(PET).size
    for format_id, name, modes in (
        ("webp", "nobg.webp", ("RGBA",)),
        ("jpeg", "nobg.jpg", ("RGB",)),
        ("mask", "mask.png", ("L", "RGB", "RGBA")),
    ):
        choose_format(app, format_id)
        assert app.page.inner_text("#download").startswith("Download ")
        path = app.download(tmp_path)
        assert path.name == f"{PET.stem}-{name}"
        image = Image.open(path)
        assert image.format and image.mode in modes and image.size == size, (format_id, image)
        pixels = np.asarray(image.convert("RGBA")).astype(int)
        if format_id == "webp":
            assert np.abs(pixels[..., 3] - alpha).mean() < 1
        elif format_id == "jpeg":  # flattened on white
            assert pixels[..., :3][alpha == 0].mean() > 250
        else:  # the alpha as grey, opaque
            assert (pixels[..., 3] == 255).all()
            assert np.abs(pixels[..., 0] - alpha).max() <= 1
    # The next photo comes in the chosen format.
    app.cut(photos("pets")[7])
    assert app.download(tmp_path).name == f"{photos('pets')[7].stem}-mask.png"
    assert app.log.console_errors() == []


def test_format_list_follows_the_table(app):
    app.open()
    options = app.page.eval_on_selector_all("#format option", "os => os.map(o => o.value)")
    assert options == list(formats.FORMATS)


def change_background(app, action):
    """Run `action` (which changes the background), then wait for the download to follow."""
    before = int(app.page.evaluate("document.body.dataset.look || '0'"))
    action()
    app.page.wait_for_function(
        f"Number(document.body.dataset.look) > {before} && "
        "document.body.dataset.looked === document.body.dataset.look"
    )


def sharpness(rgb, where):
    step = np.abs(np.diff(rgb.astype(int), axis=1)).sum(-1)
    return step[where[:, 1:] & where[:, :-1]].mean()


def test_backgrounds_colour_picture_and_blur(app, tmp_path):
    app.open()
    app.cut(PET)
    cut = np.asarray(Image.open(app.download(tmp_path))).astype(int)
    alpha, kept = cut[..., 3], cut[..., :3]
    inside, outside = alpha == 255, alpha == 0
    page = app.page
    app.show_options()
    change_background(app, lambda: page.select_option("#background", "colour"))
    change_background(app, lambda: page.fill("#bg-colour", "#ff0000"))
    red = np.asarray(Image.open(app.download(tmp_path))).astype(int)
    assert (red[..., 3] == 255).all() and (red[..., :3][outside] == (255, 0, 0)).all()
    assert np.abs(red[..., :3][inside] - kept[inside]).max() <= 1
    # A swatch, then JPEG: on the chosen colour, not on white.
    change_background(app, lambda: page.click("#bg-colours button[data-colour='#000000']"))
    choose_format(app, "jpeg")
    black = np.asarray(Image.open(app.download(tmp_path))).astype(int)
    assert black[outside].mean() < 6
    choose_format(app, "png")
    # A picture the user picks, cover-fitted; it is never sent anywhere.
    picture = tmp_path / "sky.png"
    Image.new("RGB", (40, 10), (20, 120, 250)).save(picture)
    requests = len(app.log.requests)
    change_background(app, lambda: page.set_input_files("#bg-image", str(picture)))
    sky = np.asarray(Image.open(app.download(tmp_path))).astype(int)
    assert (np.abs(sky[..., :3][outside] - (20, 120, 250)).max(-1) <= 2).all()
    assert all(body is None for _, _, body in app.log.requests[requests:])
    # The photo blurred: the subject as it was, the rest softer than the photo.
    change_background(app, lambda: page.select_option("#background", "blur"))
    blurred = np.asarray(Image.open(app.download(tmp_path))).astype(int)
    photo = np.asarray(Image.open(PET).convert("RGB")).astype(int)
    assert np.abs(blurred[..., :3][inside] - kept[inside]).max() <= 1
    assert sharpness(blurred[..., :3], outside) < 0.6 * sharpness(photo, outside)
    # A shadow: the same pixels as `bgzero remove --shadow`, transparent (PNG), and on white
    # cropped to the subject and its shadow (JPEG).
    change_background(app, lambda: page.check("#shadow"))
    change_background(app, lambda: page.select_option("#background", "none"))
    shadowed = app.download(tmp_path)
    native = native_file(PET, tmp_path / "native.png", shadow=shadows.DEFAULT)
    assert_same_picture(shadowed, native)
    assert np.asarray(Image.open(shadowed))[..., 3][outside].mean() > 2  # the shadow is there
    change_background(app, lambda: page.select_option("#background", "colour"))
    change_background(app, lambda: page.click("#bg-colours button[data-colour='#ffffff']"))
    change_background(app, lambda: page.fill("#margin", "0"))
    change_background(app, lambda: page.check("#crop"))
    choose_format(app, "jpeg")
    framing = {"crop": True, "margin": 0, "max_side": None}
    native = tmp_path / "native.jpg"
    white = {"kind": "colour", "colour": "#ffffff"}
    native_file(
        PET, native, format_id="jpeg", background=white, framing=framing, shadow=shadows.DEFAULT
    )
    assert_same_picture(app.download(tmp_path), native)
    assert app.log.console_errors() == []


def test_crop_to_the_subject_with_a_margin_and_a_longest_side(app, tmp_path):
    app.open()
    app.cut(PET)
    full = np.asarray(Image.open(app.download(tmp_path)))
    ys, xs = np.nonzero(full[..., 3] >= 8)
    h, w = full.shape[:2]
    page = app.page
    app.show_options()
    change_background(app, lambda: page.fill("#margin", "10"))
    change_background(app, lambda: page.check("#crop"))
    cropped = Image.open(app.download(tmp_path))
    size = (
        min(w, xs.max() + 11) - max(0, xs.min() - 10),
        min(h, ys.max() + 11) - max(0, ys.min() - 10),
    )
    assert cropped.size == size
    assert (
        np.asarray(cropped)[..., 3]
        == full[max(0, ys.min() - 10) :, max(0, xs.min() - 10) :][: size[1], : size[0], 3]
    ).all()
    change_background(app, lambda: page.fill("#max-side", "100"))
    small = Image.open(app.download(tmp_path))
    assert max(small.size) == 100 and abs(small.size[0] / small.size[1] - size[0] / size[1]) < 0.02
    assert app.log.console_errors() == []


def test_copy_puts_the_png_on_the_clipboard(app, tmp_path):
    app.page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    app.open()
    app.cut(PET)
    expected = np.asarray(Image.open(app.download(tmp_path)))
    app.page.click("#copy")
    app.page.wait_for_function(
        "document.body.dataset.copied === '1' || !document.getElementById('message').hidden"
    )
    data = app.page.evaluate(
        """async () => {
          const [item] = await navigator.clipboard.read();
          const bytes = new Uint8Array(await (await item.getType('image/png')).arrayBuffer());
          let text = '';
          for (let i = 0; i < bytes.length; i += 8192)
            text += String.fromCharCode(...bytes.subarray(i, i + 8192));
          return btoa(text);
        }"""
    )
    copied = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGBA"))
    assert copied.shape == expected.shape
    assert np.abs(copied.astype(int) - expected).max() <= 1
    assert app.message() == ""
