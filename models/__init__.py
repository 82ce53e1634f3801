"""The model cards, one TOML file per model: installed with bgzero as `bgzero.model_cards`."""
