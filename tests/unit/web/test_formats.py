"""The output formats table (src/web/shared/formats.py), shared by the page, the embed
protocol and `bgzero remove`."""

import pytest

from bgzero.web_shared import formats as native_formats
from shared import formats


def test_every_format_names_what_each_reader_needs():
    for format_id, entry in formats.FORMATS.items():
        assert set(entry) >= {"label", "mime", "ext", "alpha", "quality", "pillow"}, format_id
        assert entry["mime"].startswith("image/")
        assert entry["quality"] is None or 0 < entry["quality"] <= 1
    assert formats.DEFAULT == "png" and formats.FORMATS["png"]["alpha"]
    assert not formats.FORMATS["jpeg"]["alpha"]


def test_file_names_follow_the_photo():
    assert formats.file_name("holiday/cat.final.JPG", "png") == "cat.final-nobg.png"
    assert formats.file_name("cat.jpg", "webp") == "cat-nobg.webp"
    assert formats.file_name("cat.jpg", "jpeg") == "cat-nobg.jpg"
    assert formats.file_name("cat.jpg", "mask") == "cat-mask.png"
    assert formats.file_name("", "png") == "image-nobg.png"


def test_quality_is_checked_and_lossless_formats_have_none():
    assert formats.quality("png") is None and formats.quality("png", 0.5) is None
    assert formats.quality("webp") == formats.FORMATS["webp"]["quality"]
    assert formats.quality("jpeg", 0.75) == 0.75
    for bad in (0, 1.5, -1, True, "0.8"):
        with pytest.raises(formats.FormatError):
            formats.quality("jpeg", bad)
    with pytest.raises(formats.FormatError, match="png, webp, jpeg, mask"):
        formats.get("gif")


def test_the_native_side_reads_the_same_table():
    assert native_formats.FORMATS is formats.FORMATS
