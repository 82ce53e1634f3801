"""Where the decontamination's strips of a large photo go (shared/geometry.py)."""

from shared import geometry


def test_row_strips_cover_every_row_once_within_the_budget():
    assert geometry.row_strips(1000, 1000, 10**6) == [(0, 1000)]
    for height, width, budget in ((3000, 4000, 10**6), (4000, 3000, 777_777), (7, 50_000, 10**5)):
        strips = geometry.row_strips(height, width, budget)
        assert [row for y0, y1 in strips for row in range(y0, y1)] == list(range(height))
        assert all(y1 > y0 and ((y1 - y0) * width <= budget or y1 - y0 == 1) for y0, y1 in strips)
        sizes = {y1 - y0 for y0, y1 in strips}
        assert max(sizes) - min(sizes) <= 1  # as even as whole rows allow


def test_a_large_photo_runs_in_one_piece_only_where_the_heap_has_room_for_it():
    small, large = geometry.SPLIT_PIXELS, 12_000_000
    mb = 1024 * 1024
    for graph in ("prepare", "refine", "decontaminate"):
        assert geometry.one_piece(graph, small, None) and geometry.one_piece(graph, small, -1)
        assert not geometry.one_piece(graph, large, None)  # the heap can't be counted
        assert not geometry.one_piece(graph, large, 0)
    # IS-Net's run leaves ~460 MB free between runs: prepare and refine fit, not the rest
    room = 460 * mb
    assert geometry.one_piece("prepare", large, room)
    assert geometry.one_piece("refine", large, room)
    assert not geometry.one_piece("decontaminate", large, room)
    assert geometry.one_piece("decontaminate", 6_000_000, room)


def test_the_prepare_graph_narrows_a_photo_only_to_well_under_its_width():
    assert geometry.narrows(4000, 320) and geometry.narrows(4000, 1024)
    assert geometry.narrows(2048, 1024)
    assert not geometry.narrows(1000, 1024)  # a tall photo stretched wider: one piece


def _source_rows(row, rows, height):
    """The two photo rows a half-pixel linear resize of `height` rows to `rows` reads."""
    at = min(max((row + 0.5) * height / rows - 0.5, 0), height - 1)
    return int(at), min(int(at) + 1, height - 1)


def test_each_grid_row_falls_to_one_strip_which_is_fed_its_source_rows():
    for height, width, rows in ((3000, 4000, 768), (4001, 1000, 1024), (5000, 800, 1024)):
        seen = []
        for y0, y1 in geometry.row_strips(height, width, 10**6):
            first, count, f0, f1 = geometry.grid_rows(y0, y1, height, rows)
            seen += range(first, first + count)
            for row in range(first, first + count):
                below, above = _source_rows(row, rows, height)
                assert y0 <= below < y1  # the strip it falls to
                assert (f0 <= below - 2 or f0 == 0) and (above + 2 < f1 or f1 == height)
                assert f0 <= below and above < f1
        assert seen == list(range(rows))


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
