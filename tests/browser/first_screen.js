// Where the first screen's parts are (viewport pixels), read by test_layout.py and by the
// Firefox flow: [left, top, right, bottom] boxes, whether a point of the control is on top,
// the window's size and how far it scrolled or would scroll sideways.
() => {
  const box = (id) => {
    const r = document.getElementById(id).getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  // On top: the element itself, or the control whose label holds it (WebKit hit-tests the
  // file input inside "Choose a photo"'s label): a click there does the same.
  const onTop = (id) => {
    const [l, t, r, b] = box(id);
    const found = document.elementFromPoint((l + r) / 2, (t + b) / 2);
    const target = document.getElementById(id);
    return found != null && (found.closest("#" + id) != null
      || [...(found.labels || [])].some((label) => label.contains(target)));
  };
  return {
    result: box("result"), download: box("download"), downloadOnTop: onTop("download"),
    drop: box("drop"), choose: box("pick-text"), chooseOnTop: onTop("pick-text"),
    width: innerWidth, height: innerHeight, scrollY: scrollY,
    scrollWidth: document.documentElement.scrollWidth,
  };
}
