"""The site build: dist/ from src/web, static/, the runtime packages and the built models."""
