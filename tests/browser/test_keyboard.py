"""The whole flow with the keyboard alone, in real Chromium: every step is reached with Tab,
done with Enter, Space or arrows, and the focus is always visible."""

from PIL import Image

from bgzero.groundtruth import photos

PETS = photos("pets")

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


def test_pick_choose_model_cut_toggle_export_and_switch_language_with_keys_only(app, tmp_path):
    app.open()
    page = app.page
    page.locator("body").focus()
    # Choose a photo: Space on the (visually hidden) file input opens the file chooser.
    tab_to(page, "#file")
    before = app.handled()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(PETS[0]))
    app._wait_handled(before)
    assert app.state() == "done", app.message()
    # Show the original and back, with Space.
    tab_to(page, "#toggle")
    page.keyboard.press("Space")
    assert page.get_attribute("#toggle", "aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.get_attribute("#toggle", "aria-pressed") == "false"
    # Export as WebP: the format menu with arrows, then Enter on the download link.
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
    tab_to(page, "#tool-restore")
    page.keyboard.press("Space")
    assert page.get_attribute("#tool-restore", "aria-pressed") == "true"
    # Another model with the arrow keys: it loads, and the next photo is cut with it.
    tab_to(page, "#model")
    page.keyboard.press("ArrowUp")
    page.wait_for_function("document.querySelector('#status').textContent.includes('isnet')")
    page.wait_for_function("document.querySelector('#stage').textContent.startsWith('Ready')")
    # The language, with Enter on the switch.
    tab_to(page, "button[data-lang=zh]", back=True)
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert app.log.console_errors() == []
