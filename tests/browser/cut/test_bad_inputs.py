"""The bad-input corpus, one file after another on one page: each gets its own message (or
its cutout), nothing reaches the console, and a photo still works at the end."""

import sys
from pathlib import Path

from PIL import Image

from bgzero.eval.groundtruth import photos

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from make_bad_inputs import OK, make_corpus


def test_bad_inputs_in_a_row_then_a_photo(app, tmp_path):
    corpus = make_corpus(tmp_path)
    app.open()
    wrong = []
    for name, expected in corpus:
        app.pick(tmp_path / name)
        state, message = app.state(), app.message()
        if expected == OK:
            good = state == "done" and message == ""
        else:
            good = state == "error" and expected in message
        if not good:
            wrong.append((name, expected, state, message))
        if name == "50-megapixels.jpg" and good:
            # Cut out at full size, not scaled down; the page's canvas holds what the view
            # needs of it, not 50 MP.
            assert Image.open(app.download(tmp_path)).size == (8660, 5774)
            shown = app.page.evaluate(
                "(() => { const c = document.getElementById('result');"
                " return [c.offsetWidth, c.offsetHeight, c.width * c.height]; })()"
            )
            assert shown[:2] == [8660, 5774] and shown[2] < 8660 * 5774 / 16
    assert wrong == []
    assert app.log.console_errors() == []
    app.cut(photos("pets")[0])
    assert app.state() == "done" and app.message() == ""
