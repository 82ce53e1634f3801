"""Where the decontamination's strips of a large photo go (shared/geometry.py)."""

from shared import geometry


def test_strips_cover_every_row_once_with_margins_and_small_photos_stay_whole():
    assert geometry.strips(1000, 1000, (1000, 1000), (256, 256), (6, 3, 3)) == [(0, 1000, 0, 1000)]
    height, width = 3000, 4000
    guide = geometry.guide_size(height, width, 1024)
    coarse = geometry.guide_size(height, width, 256)
    parts = geometry.strips(height, width, guide, coarse, (6, 3, 3))
    assert len(parts) > 1
    kept = [row for _, _, top, bottom in parts for row in range(top, bottom)]
    assert kept == list(range(height))
    cell = height / coarse[0]
    for y0, y1, top, bottom in parts:
        # within the budget but for the rounding out to the coarse grid's cell edges
        assert (y1 - y0 - 2 * cell) * width <= geometry.STRIP_PIXELS
        assert abs(y0 / cell - round(y0 / cell)) < 0.5 / cell + 1e-9
        assert abs(y1 / cell - round(y1 / cell)) < 0.5 / cell + 1e-9 or y1 == height
        # the margin: 8 coarse cells and 9 guide cells of rows on each open side
        reach = 8 * height / coarse[0] + 9 * height / guide[0]
        assert top - y0 >= reach or y0 == 0
        assert y1 - bottom >= reach or y1 == height
    assert geometry.strip_grid(coarse, height, 1000) == (round(1000 * coarse[0] / 3000), coarse[1])


def test_the_strip_plan_feeds_each_strip_grids_of_the_whole_photos_cell_size():
    height, width = 3000, 4000
    guide = geometry.guide_size(height, width, 1024)
    spec = {"coarse": 256, "wide": 6, "narrow": 3, "soften": 3}
    plan = geometry.strip_plan(height, width, guide, spec)
    coarse = geometry.guide_size(height, width, 256)
    assert [p[:4] for p in plan] == geometry.strips(height, width, guide, coarse, (6, 3, 3))
    for y0, y1, _, _, guide_of, coarse_of in plan:
        assert guide_of[1] == guide[1] and coarse_of[1] == coarse[1]
        assert abs((y1 - y0) / guide_of[0] - height / guide[0]) < 0.01 * height / guide[0]
        assert abs((y1 - y0) / coarse_of[0] - height / coarse[0]) < 0.02 * height / coarse[0]
    assert geometry.strip_plan(500, 400, (500, 400), spec) == [
        (0, 500, 0, 500, (500, 400), (256, 205))
    ]
