"""The whole flow with the keyboard alone, in real Chromium: every step is reached with Tab,
done with Enter, Space or arrows, and the focus is always visible."""

from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bgzero.eval.groundtruth import photos
from editing import pixels, wait_offered

PETS = photos("pets")
# Best quality loaded: its engine line ("best · wasm · 2 threads") and the stage says Ready.
BEST_READY = """document.querySelector('#status').textContent.startsWith('best ·')
  && document.querySelector('#status').textContent.includes('thread')
  && document.querySelector('#stage').textContent.startsWith('Ready')"""

# What shows focus: the element's own outline, or the label's span a hidden file input has.
_FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  const shown = (node) => node && getComputedStyle(node).outlineStyle !== "none"
    && parseFloat(getComputedStyle(node).outlineWidth) >= 2;
  return shown(el) || (el.type === "file" && shown(el.nextElementSibling));
}"""


def tab_to(page, selector, back=False, limit=80):
    """Press Tab (or Shift+Tab) until `selector` has the focus; each stop shows its focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert page.evaluate(_FOCUS_SHOWN), f"no visible focus on {selector}"
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"{selector} is not reachable with the keyboard")


def chooser_by_space(page, tries=3):
    """The file chooser that Space on the focused file input opens. Under load Chromium now
    and then drops that Space's activation and no chooser comes; a person presses again,
    and so does this (a few times at most: one that never opens still fails)."""
    for _ in range(tries):
        tab_to(page, "#file")
        try:
            with page.expect_file_chooser(timeout=20_000) as chooser:
                page.keyboard.press("Space")
            return chooser.value
        except PlaywrightTimeout:
            page.locator("body").focus()
    raise AssertionError("Space on the file input never opened the file chooser")


def pressed_after_space(page, selector):
    """The toggle button's aria-pressed once reached with Tab and pressed with Space."""
    tab_to(page, selector)
    page.keyboard.press("Space")
    return page.get_attribute(selector, "aria-pressed")


def test_pick_cut_toggle_export_edit_choose_model_and_switch_language_with_keys_only(app, tmp_path):
    app.open()
    page = app.page
    page.locator("body").focus()
    # Choose a photo: Space on the (visually hidden) file input opens the file chooser.
    before = app.handled()
    chooser_by_space(page).set_files(str(PETS[0]))
    app._wait_handled(before)
    assert app.state() == "done", app.message()
    # Show the original and back, with Space.
    assert pressed_after_space(page, "#toggle") == "true"
    page.keyboard.press("Space")
    assert page.get_attribute("#toggle", "aria-pressed") == "false"
    # Export as WebP: its group opened with Enter, the format menu with arrows, then Enter on
    # the download link.
    tab_to(page, "#group-export > summary")
    page.keyboard.press("Enter")
    tab_to(page, "#format")
    page.keyboard.press("ArrowDown")
    page.wait_for_function("document.body.dataset.format !== 'png'")
    page.wait_for_function("!document.querySelector('#download').hasAttribute('aria-disabled')")
    tab_to(page, "#download")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert Image.open(path).size == Image.open(PETS[0]).size
    # Manual Remove and its tools are buttons in the tab order.
    tab_to(page, "#mode-manual", back=True)
    page.keyboard.press("Enter")
    assert page.evaluate("document.body.dataset.mode") == "manual"
    assert pressed_after_space(page, "#tool-restore") == "true"
    # Another model with the arrow keys: it loads, and the next photo is cut with it.
    tab_to(page, "#model")
    page.keyboard.press("ArrowDown")  # from Fast to Best quality
    page.wait_for_function(BEST_READY)
    # The language, with Enter on the switch.
    tab_to(page, "button[data-lang=zh]", back=True)
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert app.log.console_errors() == []


def test_cancel_a_running_cut_with_keys_only(app):
    """The photo is handed over by the harness here: in the full suite a file chooser opened
    with Space after the model had changed sometimes never showed up under Playwright (the
    first test covers choosing a photo with keys)."""
    app.open()
    page = app.page
    page.locator("body").focus()
    tab_to(page, "#model")  # Best quality: a cut long enough to reach Cancel while it runs
    page.keyboard.press("ArrowDown")
    page.wait_for_function(BEST_READY)
    app.pick(PETS[1], wait=False)
    page.wait_for_selector("#cancel:not([hidden])")
    tab_to(page, "#cancel")
    page.keyboard.press("Enter")
    page.wait_for_function("document.body.dataset.state === 'cancelled'")
    assert page.evaluate("document.activeElement.id") == "file"  # back to the picker
    assert page.evaluate(_FOCUS_SHOWN)
    assert app.log.console_errors() == []


def brush_at(page):
    return tuple(int(v) for v in page.evaluate("document.body.dataset.brushAt").split(","))


def test_the_brush_erases_restores_and_undoes_with_keys_only(app, tmp_path):
    app.open()
    app.cut(PETS[0])
    page = app.page
    page.locator("body").focus()
    tab_to(page, "#mode-manual")
    page.keyboard.press("Enter")
    before = pixels(app, tmp_path)
    tab_to(page, "#viewport")  # the keyboard brush starts in the middle of the photo
    x, y = brush_at(page)
    assert (x, y) == (before.shape[1] // 2, before.shape[0] // 2)
    assert page.evaluate("!document.getElementById('brush-outline').hidden")
    assert before[y, x, 3] == 255, "the middle of this photo is the animal"
    page.keyboard.press("Enter")  # erase there
    wait_offered(app, 1)
    erased = pixels(app, tmp_path)
    assert erased[y, x, 3] == 0
    tab_to(page, "#viewport", back=True)  # reading the download took the focus to its link
    page.keyboard.press("Shift+ArrowRight")  # a step of 40 screen pixels, then erase again
    x2, y2 = brush_at(page)
    zoom = float(page.evaluate("document.body.dataset.zoom"))
    assert y2 == y and abs((x2 - x) * zoom - 40) <= 1
    page.keyboard.press("+")  # zoom in at the brush: it stays where it is in the photo
    assert float(page.evaluate("document.body.dataset.zoom")) > zoom and brush_at(page) == (x2, y2)
    page.keyboard.press("Space")
    wait_offered(app, 2)
    assert pixels(app, tmp_path)[y2, x2, 3] == 0
    tab_to(page, "#viewport", back=True)
    page.keyboard.press("Control+z")  # undo the second, then restore the first with the brush
    wait_offered(app, 3)
    assert pixels(app, tmp_path)[y2, x2, 3] == 255
    tab_to(page, "#tool-restore", back=True)
    page.keyboard.press("Space")
    tab_to(page, "#viewport")  # the brush is where it was
    assert brush_at(page) == (x2, y2)
    page.keyboard.press("-")  # back to the first zoom, and one step back to the first dab
    page.keyboard.press("Shift+ArrowLeft")
    assert brush_at(page) == (x, y)
    page.keyboard.press("Enter")
    wait_offered(app, 4)
    assert pixels(app, tmp_path)[y, x, 3] > 200
    assert app.log.console_errors() == []
