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


def test_aspect_size_keeps_the_photos_proportions_in_whole_strides():
    # A 16:9 photo at half the work of IS-Net's square; 4:3 at three quarters.
    assert geometry.aspect_size(1920, 1080, 1024, 512, 32) == (576, 1024)
    assert geometry.aspect_size(4000, 3000, 1024, 512, 32) == (768, 1024)
    assert geometry.aspect_size(1080, 1920, 1024, 512, 32) == (1024, 576)
    assert geometry.aspect_size(800, 800, 320) == (320, 320)
    # A fixed model keeps its long side; the short one is rounded to the stride, never 0.
    assert geometry.aspect_size(1000, 333, 320) == (96, 320)
    assert geometry.aspect_size(10000, 100, 320) == (32, 320)
    # An adaptive model's long side follows a small photo, not below its min_size.
    assert geometry.aspect_size(300, 200, 1024, 512, 64) == (320, 512)
    for width, height in ((1920, 1080), (333, 1000), (5000, 4999), (64, 4096)):
        h, w = geometry.aspect_size(width, height, 1024, 512, 64)
        assert h % 64 == 0 and w % 64 == 0 and max(h, w) == 1024
        exact = min(width, height) * 1024 / max(width, height)
        assert abs(min(h, w) - max(64, exact)) <= 32  # the nearest stride, at least one
        assert h == w or (h > w) == (height > width)


def test_model_input_is_a_square_with_the_photos_box_or_the_photos_own_proportions():
    # Squares as before: IS-Net's fixed 1024² stretched, u2netp's 320² letterboxed.
    assert geometry.model_input("stretch", 1920, 1080, 1024, 0, 64) == (
        (1024, 1024),
        (0, 0, 1024, 1024),
    )
    assert geometry.model_input("letterbox", 1920, 1080, 320) == ((320, 320), (70, 0, 250, 320))
    assert geometry.model_input("stretch", 300, 200, 1024, 512, 64) == (
        (512, 512),
        (0, 0, 512, 512),
    )
    # The aspect fit: aspect_size()'s h×w, filled by the photo (box = all of it).
    for fit_args, photo in (((1024, 0, 64), (1920, 1080)), ((1024, 512, 64), (700, 1400))):
        hw, box = geometry.model_input("aspect", *photo, *fit_args)
        assert hw == geometry.aspect_size(*photo, *fit_args) and box == (0, 0, *hw)
    assert geometry.model_input("aspect", 1920, 1080, 1024, 0, 64)[0] == (576, 1024)


def test_the_prepare_graphs_size_is_an_edge_for_a_square_and_both_sides_else():
    assert geometry.prepare_size((320, 320)) == [320]
    assert geometry.prepare_size((576, 1024)) == [576, 1024]
    # what model_input gives feeds the graph as it is
    hw, _ = geometry.model_input(geometry.ASPECT, 1080, 1920, 1024, 512, 32)
    assert geometry.prepare_size(hw) == [1024, 576]
