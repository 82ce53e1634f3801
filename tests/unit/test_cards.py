"""Model cards: settings the browser could not follow are refused when the card is read."""

import pytest

from bgzero.cards import CARDS_DIR, load_card


def test_decontamination_without_refinement_is_refused(tmp_path):
    text = (CARDS_DIR / "u2netp.toml").read_text().replace("refine = true", "refine = false")
    card = tmp_path / "u2netp.toml"
    card.write_text(text)
    with pytest.raises(ValueError, match="decontaminate needs refine"):
        load_card(card)
    card.write_text(text.replace("decontaminate = true", "decontaminate = false"))
    assert not load_card(card).decontaminate
