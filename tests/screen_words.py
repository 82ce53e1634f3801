"""English words read off a screenshot by OCR (Tesseract, Debian's tesseract-ocr with its
chi_sim and eng data): the check that catches what the DOM does not show, such as text
drawn on a canvas, CSS-generated content or text in an image."""

import re
import subprocess

import latin_words
from PIL import Image

from shared import text_en

_WORD = re.compile(r"[A-Za-z]{4,}")


def _vocabulary():
    # Our own English words: OCR misreads Chinese glyphs as short Latin noise ("ess", "SH"),
    # never as words of the English table.
    words = set()
    for text in text_en.TEXTS.values():
        words |= {w.lower() for w in _WORD.findall(text) if w not in latin_words.KEPT}
    return words - {w.lower() for w in latin_words.KEPT}


VOCABULARY = _vocabulary()


def read(png, scratch):
    """The text Tesseract reads off `png` (enlarged 2× in grey: it reads small UI text better)."""
    image = Image.open(png).convert("L")
    image = image.resize((image.width * 2, image.height * 2), Image.Resampling.LANCZOS)
    image.save(scratch)
    done = subprocess.run(
        ["tesseract", str(scratch), "-", "-l", "chi_sim+eng"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def english_words(text):
    """The words of the English table in `text` (read off a screenshot)."""
    return {w for w in _WORD.findall(text) if w.lower() in VOCABULARY}
