"""The tool page's parts (app.py wires them): state, result, controls, queue and models."""
