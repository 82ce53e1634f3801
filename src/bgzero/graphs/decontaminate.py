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

from bgzero.graphs.common import I64, U8, floats, graph_model, ints, resize, tensors

OPSET = 17
# The shipped setting, chosen from `bgzero eval` (docs/quality.md): radii at their grids.
DEFAULT = {"coarse": 256, "wide": 6, "narrow": 3, "soften": 3}
EPSILON = 1e-5  # keeps the weighted means finite where a window has no foreground
EPSILON_LINE = 1e-3  # where F and B look alike, the colour line says little: stay near 0


class _Nodes:
    """A small builder so the graph reads like the formulas in the module docstring."""

    def __init__(self):
        self.nodes = []
        self._n = 0

    def op(self, kind, *inputs, **attrs):
        self._n += 1
        out = f"{kind.lower()}{self._n}"
        self.nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out

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


def build_decontaminate(wide: int, narrow: int, soften: int, coarse: int = 0) -> onnx.ModelProto:
    """`coarse` only labels the graph: the grids' sizes are inputs (geometry.guide_size).

    The full-size work runs one colour channel at a time, and the sums over channels add
    r + g + b as ReduceSum does: the same arithmetic as on 3-channel planes (bit-identical
    to the 3-channel graph on the sets' photos and at 12 MP), with fewer full-size planes
    alive at once in onnxruntime-web's heap, which never shrinks (natively, a 4 MP strip's
    peak 566 -> 444 MB)."""
    g = _Nodes()
    # [1,H,W,1] planes are [1,1,H,W] ones in memory: Split where they lie, then Reshape
    g.nodes.append(helper.make_node("Split", ["rgba"], [*RGB, "opacity"], axis=3))
    g.nodes.append(helper.make_node("Shape", ["alpha"], ["alpha_shape"]))
    planes = {c: g.op("Reshape", g.op("Cast", c, to=TensorProto.FLOAT), "alpha_shape") for c in RGB}
    image = {c: g.op("Mul", planes[c], "inv255") for c in RGB}
    a = g.op("Mul", g.op("Cast", "alpha", to=TensorProto.FLOAT), "inv255")

    def on_grid(planes):
        # per channel, then together: a 3-channel Resize is this, channel by channel
        return g.op("Concat", *(g.resize(x, "guide", "n_1") for x in planes), axis=1)

    # The guide grid, then the coarse grid (plain linear resampling: the box filters that
    # follow average away its aliasing).
    image_g = on_grid(image[c] for c in RGB)
    a_g = g.resize(a, "guide", "n_1")
    image_a_g = on_grid(g.op("Mul", image[c], a) for c in RGB)
    image_c, a_c, image_a_c = (
        g.resize(image_g, "coarse"),
        g.resize(a_g, "coarse", "n_1"),
        g.resize(image_a_g, "coarse"),
    )
    # Pass 1 (wide): F = B = I.
    f1, b1 = g.weighted_means(image_a_c, g.op("Sub", image_c, image_a_c), a_c, wide)
    f1, b1 = g.resize(f1, "guide"), g.resize(b1, "guide")
    f1 = g.fuse(f1, b1, image_g, a_g)
    # Pass 2 (narrow), on the guide grid.
    f2, b2 = g.weighted_means(
        g.op("Mul", f1, a_g), g.op("Mul", b1, g.op("Sub", "one", a_g)), a_g, narrow
    )
    f2_g, b2_g = (dict(zip(RGB, g.split3(x))) for x in (f2, b2))
    # Which alpha mixes the edge? The refined one is steep (it scores best against the
    # labels), so a rim pixel with α = 1 can still hold old background. In the band where
    # the softened mask is unsure, take the lower of that softened alpha and the pixel's
    # position on the colour line from B to F (its own colour says how much F it holds).
    soft = g.resize(g.box(a_g, soften), "alpha_shape")
    band = g.op("And", g.op("Greater", soft, "low"), g.op("Less", soft, "high"))
    along = length = None
    full = {}
    for c in RGB:
        f_c, b_c = full[c] = g.resize(f2_g[c], "alpha_shape"), g.resize(b2_g[c], "alpha_shape")
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
    constants = ints(n_3=[1, 3], n_1=[1, 1])
    constants += floats(inv255=1 / 255, c255=255, eps=EPSILON, zero=0, one=1)
    constants += floats(low=0.01, high=0.99, eps_line=EPSILON_LINE)
    inputs = tensors(
        ("rgba", U8, [1, "H", "W", 4]),
        ("alpha", U8, [1, 1, "H", "W"]),
        ("guide", I64, [2]),
        ("coarse", I64, [2]),
    )
    outputs = tensors(("cutout", U8, [1, "H", "W", 4]))
    props = {
        "bgzero.decontaminate": f"blur fusion coarse={coarse} "
        f"wide={wide} narrow={narrow} soften={soften}"
    }
    return graph_model(g.nodes, "bgzero-decontaminate", inputs, outputs, constants, OPSET, props)
