"""What every page shares: texts in the chosen language, status view, offline/update."""
