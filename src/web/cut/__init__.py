"""The main thread's side of a cut: file input, cutter, worker bridge, Cutout."""
