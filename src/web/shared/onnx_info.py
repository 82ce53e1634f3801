"""What an ONNX file says of its graph's inputs and outputs, read from its protobuf bytes
without the onnx package (the browser has none): names, element types and dimensions. Pure;
`at(i)` gives the file's i-th byte, so the page reads a JS buffer and the native side bytes.

Only the fields needed are decoded (onnx.proto): ModelProto.graph (7); GraphProto.input (11),
output (12), initializer (5; names only, for old files that list weights as inputs);
ValueInfoProto name (1), type (2); TypeProto.tensor_type (1); elem_type (1), shape (2);
TensorShapeProto.dim (1): dim_value (1) or dim_param (2). Everything else is skipped by its
length, so a large model is read in a few thousand byte reads.
"""

TYPES = {1: "float32", 2: "uint8", 3: "int8", 6: "int32", 7: "int64", 10: "float16", 11: "float64"}


class OnnxError(ValueError):
    """Not an ONNX model this reader understands."""


class _Reader:
    def __init__(self, at, end):
        self.at = at
        self.end = end

    def varint(self, pos, end):
        value = shift = 0
        while True:
            if pos >= end or shift > 63:
                raise OnnxError("truncated or not a protobuf")
            byte = self.at(pos)
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value, pos

    def fields(self, pos, end):
        """(field number, wire type, value or (start, stop), next pos) of a message's fields."""
        while pos < end:
            key, pos = self.varint(pos, end)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise OnnxError("field number 0")
            if wire == 0:
                value, pos = self.varint(pos, end)
            elif wire == 2:
                length, pos = self.varint(pos, end)
                value = (pos, pos + length)
                pos += length
                if pos > end:
                    raise OnnxError("a field runs past the end of the file")
            elif wire == 1:
                value, pos = None, pos + 8
            elif wire == 5:
                value, pos = None, pos + 4
            else:
                raise OnnxError("wire type %d" % wire)
            yield number, wire, value

    def text(self, span):
        return "".join(chr(self.at(i)) for i in range(span[0], span[1]))


def _dims(reader, span):
    dims = []
    for number, wire, value in reader.fields(*span):
        if number == 1 and wire == 2:  # Dimension
            dim = None
            for n, w, v in reader.fields(*value):
                if n == 1 and w == 0:
                    dim = v
                elif n == 2 and w == 2:
                    dim = reader.text(v) or None
            dims.append(dim)
    return dims


def _value_info(reader, span):
    info = {"name": "", "type": None, "dims": None}
    for number, wire, value in reader.fields(*span):
        if number == 1 and wire == 2:
            info["name"] = reader.text(value)
        elif number == 2 and wire == 2:
            for n, w, v in reader.fields(*value):
                if n == 1 and w == 2:  # tensor_type
                    for n2, w2, v2 in reader.fields(*v):
                        if n2 == 1 and w2 == 0:
                            info["type"] = TYPES.get(v2, "type %d" % v2)
                        elif n2 == 2 and w2 == 2:
                            info["dims"] = _dims(reader, v2)
    return info


def _initializer_name(reader, span):
    for number, wire, value in reader.fields(*span):
        if number == 8 and wire == 2:
            return reader.text(value)
    return None


def read(at, size):
    """{"inputs": [...], "outputs": [...]} of the file whose bytes `at(i)` gives, each
    {"name", "type" (e.g. "float32", None if not a tensor), "dims" (ints, names or None;
    None if the rank is unknown)}. Weights listed as inputs are left out."""
    reader = _Reader(at, size)
    graph = None
    try:
        for number, wire, value in reader.fields(0, size):
            if number == 7 and wire == 2:
                graph = value
            elif number > 30:
                raise OnnxError("field %d" % number)
    except OnnxError as error:
        raise OnnxError("not an ONNX model (%s)" % error) from None
    if graph is None:
        raise OnnxError("not an ONNX model (it has no graph)")
    inputs, outputs, spans = [], [], []
    for number, wire, value in reader.fields(*graph):
        if wire != 2:
            continue
        if number == 11:
            inputs.append(_value_info(reader, value))
        elif number == 12:
            outputs.append(_value_info(reader, value))
        elif number == 5:
            spans.append(value)
    if len(inputs) > 1 and spans:
        weights = {_initializer_name(reader, span) for span in spans}
        inputs = [i for i in inputs if i["name"] not in weights]
    return {"inputs": inputs, "outputs": outputs}
