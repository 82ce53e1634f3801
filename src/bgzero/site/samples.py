"""Three sample photos to try, under the drop target: from the labelled sets of tests/data/gt
(their sources and licences on the licences page), copied into dist/samples/ with a small
preview each, and their buttons written into index.html."""

import html
import io
import shutil
from pathlib import Path

from PIL import Image

from bgzero.repo import GT
from bgzero.web_shared import i18n

PETS = "Oxford-IIIT Pet Dataset (O. M. Parkhi, A. Vedaldi, A. Zisserman, C. V. Jawahar, CVPR 2012)"
PEOPLE = "Clothing Co-Parsing (W. Yang, P. Luo, L. Lin, CVPR 2014)"
# (set, file, what it shows (a text key), source, licence)
SAMPLES = (
    ("pets", "Abyssinian_1.jpg", "sample.cat", PETS, "CC BY-SA 4.0"),
    ("people", "0001.jpg", "sample.person", PEOPLE, "Apache-2.0"),
    ("pets", "great_pyrenees_179.jpg", "sample.dog", PETS, "CC BY-SA 4.0"),
)
PREVIEW = 160  # px, the longest side of a button's picture (2× its size on screen)
MARK = "<!-- samples -->"


def _preview(photo: Path) -> tuple[bytes, tuple[int, int]]:
    """The button's picture of `photo`: JPEG bytes and their size."""
    with Image.open(photo) as image:
        image = image.convert("RGB")
        image.thumbnail((PREVIEW, PREVIEW), Image.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82)
        return out.getvalue(), image.size


def write_samples(dist: Path) -> list[dict]:
    """dist/samples/: each photo as it is and its preview; index.html's buttons in place of
    its mark. Returns the licences page's rows: file, source, licence."""
    folder = dist / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    buttons, rows = [], []
    english = i18n.table(i18n.DEFAULT)
    for subset, name, key, source, licence in SAMPLES:
        shutil.copyfile(GT / subset / "images" / name, folder / name)
        preview = f"{Path(name).stem}-preview.jpg"
        data, (width, height) = _preview(GT / subset / "images" / name)
        (folder / preview).write_bytes(data)
        buttons.append(
            f'<button type="button" class="sample" data-sample="samples/{name}">'
            f'<img src="samples/{preview}" width="{width // 2}" height="{height // 2}" '
            f'alt="{html.escape(english[key])}" data-i18n-alt="{key}"></button>'
        )
        rows.append({"file": f"samples/{name}", "source": source, "licence": licence})
    index = dist / "index.html"
    text = index.read_text()
    if MARK not in text:
        raise ValueError(f"index.html has no {MARK} mark")
    index.write_text(text.replace(MARK, "\n".join(buttons)))
    return rows
