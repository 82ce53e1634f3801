"""Manual Remove: gestures, layers and their history, keys, the smart tool."""
