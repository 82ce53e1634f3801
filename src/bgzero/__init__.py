"""BG Zero: a privacy-first background remover that runs its model in the browser."""

__version__ = "0.1.0"
