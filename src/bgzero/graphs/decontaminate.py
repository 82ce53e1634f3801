"""Colour decontamination of the cut-out's edge pixels as an ONNX graph.

A pixel on a soft edge is a mix of foreground and old background: I = αF + (1−α)B. Keeping
I as the cut-out's colour leaves a halo of the old background around hair and fur once the
cut-out sits on a new one. This graph estimates F with blur fusion (Forte & Pitié, "Approximate
fast foreground colour estimation", ICIP 2021): local means of the foreground and background
colours, weighted by α and 1−α, then a correction that makes αF + (1−α)B reproduce I.

The refined alpha is steep, so the correction uses a softer alpha on the edge: the lower of
the mask blurred a little and the pixel's position on the line between the local background
and foreground colours. The blur passes run on low-resolution grids (a coarse one with a wide
window, the refinement's guide grid with a narrow one), so the work at full size is a few
multiply-adds per pixel. Inside the solid foreground the photo's colour is kept exactly.

Inputs: rgba uint8 [1,H,W,4] (the photo); alpha uint8 [1,1,H,W] (the refined alpha);
guide int64 [2] and coarse int64 [2] = the two grids' height, width.
Output: cutout uint8 [1,H,W,4]: the estimated foreground colour with the alpha.
"""

import onnx
from onnx import TensorProto, helper

from bgzero.graphs.common import (
    F32,
    I64,
    U8,
    Nodes,
    floats,
    graph_model,
    ints,
    resize,
    tensors,
    used,
)
from bgzero.graphs.rows import Rows

OPSET = 17
# The shipped setting, chosen from `bgzero eval` (docs/quality.md): radii at their grids.
DEFAULT = {"coarse": 256, "wide": 6, "narrow": 3, "soften": 3}
EPSILON = 1e-5  # keeps the weighted means finite where a window has no foreground
EPSILON_LINE = 1e-3  # where F and B look alike, the colour line says little: stay near 0


class _Nodes(Nodes):
    """A small builder so the graph reads like the formulas in the module docstring."""

    def split3(self, x):
        """A 3-channel NCHW map's channels, each [N,1,H,W]."""
        self._n += 1
        outs = [f"split{self._n}_{i}" for i in range(3)]
        self.nodes.append(helper.make_node("Split", [x], outs, axis=1))
        return outs

    def box(self, x, radius):
        # Separable mean; count_include_pad=0 averages only real pixels at the border.
        k = 2 * radius + 1
        x = self.op(
            "AveragePool", x, kernel_shape=[1, k], pads=[0, radius, 0, radius], count_include_pad=0
        )
        return self.op(
            "AveragePool", x, kernel_shape=[k, 1], pads=[radius, 0, radius, 0], count_include_pad=0
        )

    def resize(self, x, hw, channels="n_3"):
        """Linear resize of an NCHW map to `hw` (a [2] size input, or a full NCHW shape)."""
        sizes = hw if hw.endswith("_shape") else self.op("Concat", channels, hw, axis=0)
        self._n += 1
        out = f"resize{self._n}"
        self.nodes.append(resize(x, sizes, out))
        return out

    def weighted_means(self, f_times_a, b_times_1ma, a, radius):
        """Local mean of F weighted by α and of B weighted by 1−α."""
        mean_a = self.box(a, radius)
        f = self.op("Div", self.box(f_times_a, radius), self.op("Add", mean_a, "eps"))
        rest = self.op("Add", self.op("Sub", "one", mean_a), "eps")
        b = self.op("Div", self.box(b_times_1ma, radius), rest)
        return f, b

    def fuse(self, f, b, image, a):
        """F + α(I − αF − (1−α)B), clipped to [0, 1]."""
        mix = self.op("Add", self.op("Mul", a, f), self.op("Mul", self.op("Sub", "one", a), b))
        fixed = self.op("Add", f, self.op("Mul", a, self.op("Sub", image, mix)))
        return self.op("Clip", fixed, "zero", "one")


RGB = ("red", "green", "blue")


def _planes(g):
    """rgba, alpha -> ({channel: the photo's colour in [0, 1]}, alpha in [0, 1]), full size."""
    # [1,H,W,1] planes are [1,1,H,W] ones in memory: Split where they lie, then Reshape
    g.nodes.append(helper.make_node("Split", ["rgba"], [*RGB, "opacity"], axis=3))
    g.nodes.append(helper.make_node("Shape", ["alpha"], ["alpha_shape"]))
    planes = {c: g.op("Reshape", g.op("Cast", c, to=TensorProto.FLOAT), "alpha_shape") for c in RGB}
    image = {c: g.op("Mul", planes[c], "inv255") for c in RGB}
    a = g.op("Mul", g.op("Cast", "alpha", to=TensorProto.FLOAT), "inv255")
    return image, a


def _passes(g, wide, narrow, image_g, a_g, image_a_g, channels="n_3"):
    """The blur passes on the grids ("guide" a [2] size input, "coarse" too) -> the local
    foreground and background colours F, B on the guide grid (`channels` of them: n_3 or
    n_1, as image_g and image_a_g have)."""
    # The coarse grid (plain linear resampling: the box filters that follow average away
    # its aliasing).
    image_c, a_c, image_a_c = (
        g.resize(image_g, "coarse", channels),
        g.resize(a_g, "coarse", "n_1"),
        g.resize(image_a_g, "coarse", channels),
    )
    # Pass 1 (wide): F = B = I.
    f1, b1 = g.weighted_means(image_a_c, g.op("Sub", image_c, image_a_c), a_c, wide)
    f1, b1 = g.resize(f1, "guide", channels), g.resize(b1, "guide", channels)
    f1 = g.fuse(f1, b1, image_g, a_g)
    # Pass 2 (narrow), on the guide grid.
    return g.weighted_means(
        g.op("Mul", f1, a_g), g.op("Mul", b1, g.op("Sub", "one", a_g)), a_g, narrow
    )


def _edge(g, image, a, soft_low, f_low, b_low, up):
    """The full-size mix: `up(plane)` brings a guide-grid plane to the photo's size."""
    # Which alpha mixes the edge? The refined one is steep (it scores best against the
    # labels), so a rim pixel with α = 1 can still hold old background. In the band where
    # the softened mask is unsure, take the lower of that softened alpha and the pixel's
    # position on the colour line from B to F (its own colour says how much F it holds).
    soft = up(soft_low)
    band = g.op("And", g.op("Greater", soft, "low"), g.op("Less", soft, "high"))
    along = length = None
    full = {}
    for c in RGB:
        f_c, b_c = full[c] = up(f_low[c]), up(b_low[c])
        line = g.op("Sub", f_c, b_c)
        step = g.op("Mul", g.op("Sub", image[c], b_c), line)
        along = step if along is None else g.op("Add", along, step)
        square = g.op("Mul", line, line)
        length = square if length is None else g.op("Add", length, square)
    length = g.op("Add", length, "eps_line")
    on_line = g.op("Clip", g.op("Div", along, length), "zero", "one")
    a_fuse = g.op("Where", band, g.op("Min", soft, on_line), a)
    colours = []
    for c in RGB:
        f = g.fuse(*full[c], image[c], a_fuse)
        colours.append(g.op("Cast", g.op("Round", g.op("Mul", f, "c255")), to=TensorProto.UINT8))
    nchw = g.op("Concat", *colours, "alpha", axis=1)
    g.nodes.append(helper.make_node("Transpose", [nchw], ["cutout"], perm=[0, 2, 3, 1]))


def _constants():
    constants = ints(n_3=[1, 3], n_1=[1, 1])
    constants += floats(inv255=1 / 255, c255=255, eps=EPSILON, zero=0, one=1)
    constants += floats(low=0.01, high=0.99, eps_line=EPSILON_LINE)
    return constants


def _props(coarse, wide, narrow, soften):
    return {
        "bgzero.decontaminate": f"blur fusion coarse={coarse} "
        f"wide={wide} narrow={narrow} soften={soften}"
    }


def build_decontaminate(wide: int, narrow: int, soften: int, coarse: int = 0) -> onnx.ModelProto:
    """`coarse` only labels the graph: the grids' sizes are inputs (geometry.guide_size).

    The full-size work runs one colour channel at a time, and the sums over channels add
    r + g + b as ReduceSum does: the same arithmetic as on 3-channel planes (bit-identical
    to the 3-channel graph on the sets' photos and at 12 MP), with fewer full-size planes
    alive at once in onnxruntime-web's heap, which never shrinks (natively, a 4 MP strip's
    peak 566 -> 444 MB)."""
    g = _Nodes()
    image, a = _planes(g)

    def on_grid(planes):
        # per channel, then together: a 3-channel Resize is this, channel by channel
        return g.op("Concat", *(g.resize(x, "guide", "n_1") for x in planes), axis=1)

    # The guide grid, then the coarse grid.
    image_g = on_grid(image[c] for c in RGB)
    a_g = g.resize(a, "guide", "n_1")
    image_a_g = on_grid(g.op("Mul", image[c], a) for c in RGB)
    f2, b2 = _passes(g, wide, narrow, image_g, a_g, image_a_g)
    f2_g, b2_g = (dict(zip(RGB, g.split3(x))) for x in (f2, b2))
    soft_low = g.box(a_g, soften)
    _edge(g, image, a, soft_low, f2_g, b2_g, lambda x: g.resize(x, "alpha_shape"))
    inputs = tensors(
        ("rgba", U8, [1, "H", "W", 4]),
        ("alpha", U8, [1, 1, "H", "W"]),
        ("guide", I64, [2]),
        ("coarse", I64, [2]),
    )
    outputs = tensors(("cutout", U8, [1, "H", "W", 4]))
    props = _props(coarse, wide, narrow, soften)
    return graph_model(g.nodes, "bgzero-decontaminate", inputs, outputs, _constants(), OPSET, props)


# The row route (a large photo, in strips of rows: rows.py; geometry.one_piece): the
# three planes' guide-grid rows from each strip, the blur passes once on the grids, then
# the full-size mix strip by strip. The same estimate as build_decontaminate's but for float
# rounding; no full-size plane beyond a strip's.
# Each colour's plane beside its product with alpha (the grids graph takes one pair at a
# time), alpha last.
LOW = ("red", "red_alpha", "green", "green_alpha", "blue", "blue_alpha", "alpha")


def build_decontaminate_low() -> onnx.ModelProto:
    """rgba [1,r,W,4], alpha [1,1,r,W] (photo rows from rows[3] on), rows int64 [4] = first
    guide row, count, the photo's height, the first row given; guide int64 [2] -> on_grid
    [1,7,count,gw]: those rows of the photo's colours, colours × alpha and alpha (LOW) on
    the guide grid."""
    g = _Nodes()
    r = Rows("low", g.nodes)
    first, count, height, offset = (r.scalar("rows", i) for i in range(4))
    image, a = _planes(g)
    guide_w = g.op("Slice", "guide", "c1", "c2")
    guide_h = g.op("Squeeze", g.op("Slice", "guide", "c0", "c1"))
    planes = [p for c in RGB for p in (image[c], g.op("Mul", image[c], a))] + [a]
    narrow = [r.width(x, guide_w, f"narrow_{name}") for x, name in zip(planes, LOW)]
    r.height(g.op("Concat", *narrow, axis=1), first, count, height, guide_h, offset, "on_grid")
    inputs = tensors(
        ("rgba", U8, [1, "R", "W", 4]),
        ("alpha", U8, [1, 1, "R", "W"]),
        ("rows", I64, [4]),
        ("guide", I64, [2]),
    )
    outputs = tensors(("on_grid", F32, [1, 7, "N", "GW"]))
    constants = _constants() + ints(c0=[0], c1=[1], c2=[2]) + r.constants()
    return graph_model(
        g.nodes, "bgzero-decontaminate-low", inputs, outputs, used(g.nodes, constants), OPSET
    )


def build_decontaminate_grids(
    wide: int, narrow: int, soften: int, coarse: int = 0
) -> onnx.ModelProto:
    """pair float [1,2,gh,gw] (one colour and its product with alpha, on the guide grid: two
    planes of build_decontaminate_low's rows of the whole photo), alpha float [1,1,gh,gw],
    coarse int64 [2] -> grids float [1,3,gh,gw]: that colour's F and B and the softened
    alpha. One colour at a time: the same arithmetic as three together (bit-identical),
    a third of the planes in onnxruntime-web's heap."""
    g = _Nodes()
    g.nodes.append(helper.make_node("Shape", ["alpha"], ["guide"], start=2))
    g.nodes.append(helper.make_node("Split", ["pair"], ["colour", "colour_alpha"], axis=1))
    f2, b2 = _passes(g, wide, narrow, "colour", "alpha", "colour_alpha", "n_1")
    g.nodes.append(helper.make_node("Concat", [f2, b2, g.box("alpha", soften)], ["grids"], axis=1))
    inputs = tensors(
        ("pair", F32, [1, 2, "GH", "GW"]), ("alpha", F32, [1, 1, "GH", "GW"]), ("coarse", I64, [2])
    )
    outputs = tensors(("grids", F32, [1, 3, "GH", "GW"]))
    constants = used(g.nodes, _constants())
    props = _props(coarse, wide, narrow, soften)
    return graph_model(
        g.nodes, "bgzero-decontaminate-grids", inputs, outputs, constants, OPSET, props
    )


def build_decontaminate_apply() -> onnx.ModelProto:
    """rgba [1,r,W,4], alpha [1,1,r,W] (photo rows from rows[0] on), grids [1,7,gh,gw] (F's
    three colours, B's, the softened alpha), rows int64 [2] = the first row, the photo's
    height -> cutout uint8 [1,r,W,4]."""
    g = _Nodes()
    r = Rows("up", g.nodes)
    first, height = r.scalar("rows", 0), r.scalar("rows", 1)
    image, a = _planes(g)
    count = g.op("Squeeze", g.op("Slice", "alpha_shape", "c2", "c3"))
    width = g.op("Slice", "alpha_shape", "c3", "c4")
    grid_rows = g.op("Squeeze", g.op("Slice", g.op("Shape", "grids"), "c2", "c3"))
    tall = r.height("grids", first, count, grid_rows, height, "zero_i", "grids_rows")
    split = [f"tall_{i}" for i in range(7)]
    g.nodes.append(helper.make_node("Split", [tall], split, axis=1))
    f_low, b_low = dict(zip(RGB, split[:3])), dict(zip(RGB, split[3:6]))
    _edge(g, image, a, split[6], f_low, b_low, lambda x: r.width(x, width, f"{x}_wide"))
    inputs = tensors(
        ("rgba", U8, [1, "R", "W", 4]),
        ("alpha", U8, [1, 1, "R", "W"]),
        ("grids", F32, [1, 7, "GH", "GW"]),
        ("rows", I64, [2]),
    )
    outputs = tensors(("cutout", U8, [1, "R", "W", 4]))
    constants = _constants() + ints(c2=[2], c3=[3], c4=[4], zero_i=0) + r.constants()
    return graph_model(
        g.nodes, "bgzero-decontaminate-apply", inputs, outputs, used(g.nodes, constants), OPSET
    )
