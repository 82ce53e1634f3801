"""Linear resampling done one axis at a time, so a large photo's helper graphs can run over
strips of rows (refine.py and decontaminate.py's row route, geometry.row_strips).

A linear Resize to a grid reads two source rows per output row; along the width it needs
nothing of other rows. So a strip's rows are resized along the width by Resize itself, and
along the height by gathering the two source rows of each output row and mixing them, with
positions computed in the graph from whole-photo row numbers: every strip computes its rows
exactly as any other strip would, and the strips need no overlap. The result is the 2-D
Resize but for float rounding (half-pixel centres, clamped at the borders).
"""

from onnx import TensorProto, helper

from bgzero.graphs.common import Nodes, floats, ints, resize


class Rows(Nodes):
    """Nodes and constants for row-wise resampling, named under a prefix."""

    def __init__(self, prefix: str, nodes: list | None = None):
        super().__init__(prefix + "_", nodes)
        self.name = prefix

    def scalar(self, vector, index):
        """Element `index` of an int64 [k] input, as a scalar."""
        return self.op("Gather", vector, f"{self.name}_i{index}", axis=0)

    def constants(self):
        p = self.name
        return [
            *ints(**{f"{p}_i{i}": i for i in range(4)}),
            *ints(**{f"{p}_one_i": 1, f"{p}_shape4": [1, 1, -1, 1]}),
            *floats(**{f"{p}_half": 0.5, f"{p}_zero": 0.0, f"{p}_one": 1.0}),
        ]

    def width(self, x, width, out):
        """x [N,C,h,w] resized along its width to `width` (an int64 [1] tensor); the rows
        stay as they are (a scale of 1 puts each output row on its own source row)."""
        nchw = self.op("Shape", x, end=3)
        self.nodes.append(resize(x, self.op("Concat", nchw, width, axis=0), out))
        return out

    def height(self, x, first, count, source, target, offset, out):
        """Rows first..first+count of x's height resized from `source` rows to `target`,
        where x [N,C,r,W] holds the source rows from `offset` on (int64 scalars)."""
        p = self.name
        y = self.op("Range", first, self.op("Add", first, count), f"{p}_one_i")
        source_f = self.op("Cast", source, to=TensorProto.FLOAT)
        scale = self.op("Div", self.op("Cast", target, to=TensorProto.FLOAT), source_f)
        centre = self.op("Add", self.op("Cast", y, to=TensorProto.FLOAT), f"{p}_half")
        at = self.op("Sub", self.op("Div", centre, scale), f"{p}_half")
        at = self.op("Clip", at, f"{p}_zero", self.op("Sub", source_f, f"{p}_one"))
        below_f = self.op("Floor", at)
        weight = self.op("Reshape", self.op("Sub", at, below_f), f"{p}_shape4")
        below = self.op("Cast", below_f, to=TensorProto.INT64)
        last = self.op("Sub", source, f"{p}_one_i")
        above = self.op("Min", self.op("Add", below, f"{p}_one_i"), last)
        r0 = self.op("Gather", x, self.op("Sub", below, offset), axis=2)
        r1 = self.op("Gather", x, self.op("Sub", above, offset), axis=2)
        self.nodes.append(
            helper.make_node("Add", [r0, self.op("Mul", self.op("Sub", r1, r0), weight)], [out])
        )
        return out
