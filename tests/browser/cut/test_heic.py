"""iPhone photos (HEIC, made at test time with pillow-heif, on its side: EXIF orientation 6)
in real Chromium, which cannot decode HEIC itself: cut alone and in a queue, each upright and
as `bgzero remove` cuts it."""

import io
import zipfile

from PIL import Image

from bgzero.eval.groundtruth import photos
from made_photos import iphone_photo
from oracle import assert_matches_native

PETS = photos("pets")


def test_an_iphone_photo_is_cut_upright_alone_and_in_a_queue(app, tmp_path):
    heic = iphone_photo(PETS[0], tmp_path / "IMG_0001.HEIC")
    width, height = Image.open(PETS[0]).size
    app.open()
    app.cut(heic)
    png = app.download(tmp_path)
    assert png.name == "IMG_0001-nobg.png"
    assert Image.open(png).size == (height, width)  # upright: a quarter turn
    assert_matches_native(png, heic)
    # In a queue beside a JPEG: both cut, the iPhone photo upright in the ZIP too.
    second = iphone_photo(PETS[1], tmp_path / "IMG_0002.heic")
    before = app.handled()
    app.page.set_input_files("#file", [str(second), str(PETS[2])])
    app.page.wait_for_function(f"Number(document.body.dataset.handled || 0) >= {before + 2}")
    with app.page.expect_download() as download:
        app.page.click("#zip")
    archive = tmp_path / "all.zip"
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as zipped:
        sizes = {n: Image.open(io.BytesIO(zipped.read(n))).size for n in zipped.namelist()}
    w2, h2 = Image.open(PETS[1]).size
    assert sizes["IMG_0002-nobg.png"] == (h2, w2)
    assert sizes[f"{PETS[2].stem}-nobg.png"] == Image.open(PETS[2]).size
    assert [r for r in app.log.requests if r[2] is not None] == []
    assert app.log.console_errors() == []
