"""axe-core (npm, pinned in package-lock.json) inside the real page: no violation on any
page, in any state of the tool, in either language."""

import pytest

from bgzero.dev.driver import AppPage
from bgzero.eval.groundtruth import photos
from bgzero.models import assets
from bgzero.repo import ROOT
from conftest import PageLog

PETS = photos("pets")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, where: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


# Controls on screen smaller than 44 px (a control inside a label: the label, its target).
_SMALL_TARGETS = """() => [...document.querySelectorAll("button, a, select, input")]
  .filter((el) => el.offsetParent !== null && el.type !== "file" && el.type !== "range")
  .map((el) => [el.id || el.textContent, (el.closest("label") || el).getBoundingClientRect()])
  .filter(([, r]) => r.width < 44 || r.height < 44).map(([name]) => name)"""


@pytest.fixture(scope="module")
def axe_source():
    return (assets.npm_modules(assets.cache_dir(), ROOT) / "axe-core" / "axe.min.js").read_text()


def violations(page, axe_source):
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source + "\n;0")  # evaluated by the driver: the page's CSP allows it
    return page.evaluate(_RUN, TAGS)


@pytest.fixture(params=["en-US", "zh-CN"])
def visitor(request, browser, origin):
    context = browser.new_context(locale=request.param)
    page = context.new_page()
    app = AppPage(page, origin)
    app.log = PageLog(context, page)
    yield app
    context.close()


def test_the_tool_has_no_violation_in_any_state(visitor, axe_source, tmp_path):
    app, page = visitor, visitor.page
    found = {}

    def check(state):
        found[state] = violations(page, axe_source)

    # Starting: Python's runtime held back, so the page stays in its first state.
    page.route("**/micropython.wasm", lambda route: None)
    app.open(wait=False)
    page.wait_for_selector("#pick-text")
    assert page.evaluate("document.body.dataset.state") == "starting"
    check("starting")
    page.unroute("**/micropython.wasm")
    app.open()
    check("ready")
    app.pick(PETS[0], wait=False)
    page.wait_for_function("document.body.dataset.state !== 'ready'")
    check("busy")
    app._wait_handled(0)
    assert app.state() == "done", app.message()
    check("done")
    page.click("#mode-manual")
    app.show_options()
    page.select_option("#background", "colour")
    page.check("#shadow")
    check("editor")
    page.click("#network-activity summary")
    page.wait_for_function("Number(document.body.dataset.network || 0) >= 1")
    check("network panel")
    bad = tmp_path / "notes.jpg"
    bad.write_text("not a photo\n" * 40)
    app.pick(bad)
    assert app.state() == "error"
    check("error")
    before = app.handled()
    page.set_input_files("#file", [str(PETS[1]), str(bad), str(PETS[2])])
    app._wait_handled(before, 3)
    check("queue")
    assert {state: v for state, v in found.items() if v} == {}
    assert app.log.console_errors() == []


@pytest.mark.parametrize(
    "name",
    ["how-it-works.html", "privacy.html", "licences.html", "accessibility.html", "embed.html"],
)
def test_the_pages_around_the_tool_have_no_violation(visitor, axe_source, name):
    visitor.page.goto(f"{visitor.origin}/{name}")
    visitor.page.wait_for_function("document.body.dataset.lang !== undefined")
    assert violations(visitor.page, axe_source) == []


def test_a_phone_width_and_200_percent_zoom_need_no_sideways_scrolling_in_the_dark(
    browser, origin, axe_source, tmp_path
):
    # 200 % zoom of a 1280 px window lays the page out 640 CSS px wide.
    for width in (360, 640):
        context = browser.new_context(
            viewport={"width": width, "height": 740}, color_scheme="dark", reduced_motion="reduce"
        )
        page = context.new_page()
        app = AppPage(page, origin)
        app.log = PageLog(context, page)
        app.open()
        app.cut(PETS[3])
        page.click("#mode-manual")
        page.set_input_files("#file", [str(PETS[4]), str(PETS[5])])
        app._wait_handled(1, 2)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{width} px: {overflow} px of sideways scrolling"
        assert violations(page, axe_source) == [], width
        small = page.evaluate(_SMALL_TARGETS)
        assert small == [], f"{width} px: targets under 44 px: {small}"
        page.screenshot(path=str(tmp_path / f"phone-{width}.png"), full_page=True)
        # The sheet of options over the stage, every group open, a shadow on.
        page.click("#sheet")
        closed = page.locator("#options details:not([open]) > summary")
        while closed.count():
            closed.first.click()
        page.check("#shadow")
        assert violations(page, axe_source) == [], f"{width} px, the sheet open"
        small = page.evaluate(_SMALL_TARGETS)
        assert small == [], f"{width} px, the sheet open: targets under 44 px: {small}"
        page.screenshot(path=str(tmp_path / f"sheet-{width}.png"))
        context.close()
