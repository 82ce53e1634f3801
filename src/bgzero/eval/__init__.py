"""Quality on the ground-truth sets, and the clicks simulation (the runtime never imports it)."""
