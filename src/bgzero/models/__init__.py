"""Model cards, registry sources and their cache, the derived int8 model, the browser graph."""
