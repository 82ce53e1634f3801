"""中文 and English in real Chromium: the browser's language on a first visit, the switch
(at once, no reload, remembered), and no English left on the Chinese page."""

import latin_words
import pytest
import screen_words

from bgzero.dev.driver import AppPage
from bgzero.eval.groundtruth import photos
from conftest import PageLog

PETS = photos("pets")

# Every text of the page a user (or a screen reader) meets: visible text, the title and
# the attributes that are read out.
_TEXTS = """() => {
  const texts = [document.title, document.body.innerText];
  for (const el of document.querySelectorAll("[aria-label], [title], [alt], [placeholder]")) {
    for (const name of ["aria-label", "title", "alt", "placeholder"]) {
      if (el.hasAttribute(name)) texts.push(el.getAttribute(name));
    }
  }
  return texts.join("\\n");
}"""
# Names the page shows as they are: model ids and licences, and the adapter's name in the
# status line (the reason WebGPU is not used).
_NAMES = """async () => {
  const catalog = await (await fetch("./models/catalog.json")).json();
  const names = catalog.models.flatMap((m) => [m.id, m.licence || ""]);
  if (navigator.gpu) {
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter) {
      const info = adapter.info;
      names.push(info.vendor, info.architecture, info.device, info.description);
    }
  }
  return names.join(" ");
}"""


@pytest.fixture()
def chinese(browser, origin):
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    driver = AppPage(page, origin)
    driver.log = PageLog(context, page)
    yield driver
    context.close()


def english_left(app, also=()):
    names = app.page.evaluate(_NAMES)
    return latin_words.leftover(app.page.evaluate(_TEXTS), latin_words.leftover(names) | set(also))


def test_a_chinese_browser_gets_the_page_in_chinese_with_no_english_left(chinese, tmp_path):
    app = chinese
    app.open()
    assert app.page.evaluate("document.documentElement.lang") == "zh-CN"
    assert app.page.evaluate("document.body.dataset.lang") == "zh"
    assert english_left(app) == set()
    app.cut(PETS[0])
    assert "完成" in app.page.inner_text("#stage")
    assert "个线程" in app.status()
    assert app.page.inner_text("#download") == "下载 PNG"
    app.page.click("#mode-manual")  # the editor's tools
    app.show_options()  # and every option group, with Details and its network activity
    app.page.select_option("#background", "colour")
    assert english_left(app, {PETS[0].stem}) == set()
    shot = tmp_path / "zh.png"
    app.page.screenshot(path=str(shot), full_page=True)
    seen = screen_words.read(shot, tmp_path / "ocr.png")
    assert "网络活动" in seen.replace(" ", "")  # OCR reads the Chinese (a CJK font is there)
    assert screen_words.english_words(seen) == set()
    href = app.page.evaluate("document.querySelector('link[rel=manifest]').href")
    manifest = app.page.evaluate("async (url) => (await fetch(url)).json()", href)
    assert manifest["lang"] == "zh-CN" and "背景" in manifest["name"]
    # An error, from the file checks on the page, in Chinese too
    text = tmp_path / "shopping.jpg"
    text.write_text("not a photo\n" * 50)
    app.pick(text)
    assert app.state() == "error"
    assert "不是可读取的图片" in app.message()
    assert english_left(app, {PETS[0].stem}) == set()
    assert app.log.console_errors() == []


def test_the_switch_changes_the_language_at_once_and_is_remembered(app, tmp_path):
    app.open()
    assert app.page.evaluate("document.documentElement.lang") == "en"
    app.cut(PETS[1])
    assert "threads" in app.status() and app.page.inner_text("#download") == "Download PNG"
    assert {"Remove", "Download", "Background"} <= english_left(app)  # the check sees English
    app.show_options()  # every text on screen: the option groups, Details, network activity
    shot = tmp_path / "page.png"
    app.page.screenshot(path=str(shot), full_page=True)
    seen = screen_words.english_words(screen_words.read(shot, tmp_path / "ocr.png"))
    assert {"Download", "Choose", "Network"} <= seen  # and so does OCR, on the screen
    app.page.evaluate("window.stillHere = true")
    app.page.click("button[data-lang=zh]")
    assert app.page.evaluate("window.stillHere")  # no reload: the cut-out is still there
    assert app.page.evaluate("document.documentElement.lang") == "zh-CN"
    assert app.page.inner_text("#download") == "下载 PNG"
    assert "个线程" in app.status()
    assert app.page.inner_text("#mode-auto") == "自动抠图"
    assert app.page.evaluate("document.title").endswith("不上传照片的背景移除工具")
    assert app.page.get_attribute("button[data-lang=zh]", "aria-pressed") == "true"
    app.page.screenshot(path=str(shot), full_page=True)  # the same state, now in Chinese
    assert screen_words.english_words(screen_words.read(shot, tmp_path / "ocr.png")) == set()
    app.page.reload()
    app.wait_model_ready()
    assert app.page.evaluate("document.documentElement.lang") == "zh-CN"
    assert app.page.inner_text("#mode-manual") == "手动抠图"
    app.page.click("button[data-lang=en]")
    assert app.page.inner_text("#mode-manual") == "Manual Remove"
    assert app.page.inner_text("#stage").startswith("Ready")
    assert app.log.console_errors() == []
