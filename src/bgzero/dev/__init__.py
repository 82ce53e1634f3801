"""Developer tools: benchmarks, the Chromium driver, screenshots (not needed to run the app)."""
