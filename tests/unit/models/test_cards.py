"""Model cards: settings the browser could not follow are refused when the card is read."""

import pytest

from bgzero.models.cards import CARDS_DIR, load_card


def test_decontamination_without_refinement_is_refused(tmp_path):
    text = (CARDS_DIR / "u2netp.toml").read_text().replace("refine = true", "refine = false")
    card = tmp_path / "u2netp.toml"
    card.write_text(text)
    with pytest.raises(ValueError, match="decontaminate needs refine"):
        load_card(card)
    card.write_text(text.replace("decontaminate = true", "decontaminate = false"))
    assert not load_card(card).decontaminate


def test_the_working_size_rule_is_a_setting_and_needs_a_graph_that_can_follow_it(tmp_path):
    text = (CARDS_DIR / "isnet-int8.toml").read_text()
    card = tmp_path / "isnet-int8.toml"
    card.write_text(text.replace("adaptive = false", "adaptive = true"))
    assert load_card(card).adaptive and load_card(card).min_size == 512
    card.write_text(text)
    assert not load_card(card).adaptive and load_card(card).min_size == 512
    fixed = (
        (CARDS_DIR / "u2netp.toml").read_text().replace("[settings]", "[settings]\nadaptive = true")
    )
    card.write_text(fixed)
    with pytest.raises(ValueError, match="needs min_size"):
        load_card(card)


def test_the_aspect_fit_needs_a_graph_that_runs_at_any_size(tmp_path):
    card = tmp_path / "card.toml"
    card.write_text(
        (CARDS_DIR / "isnet-int8.toml").read_text().replace('fit = "stretch"', 'fit = "aspect"')
    )
    assert load_card(card).fit == "aspect"
    card.write_text(
        (CARDS_DIR / "u2netp.toml").read_text().replace('fit = "stretch"', 'fit = "aspect"')
    )
    with pytest.raises(ValueError, match="any size"):
        load_card(card)
    card.write_text(
        (CARDS_DIR / "u2netp.toml").read_text().replace('fit = "stretch"', 'fit = "fill"')
    )
    with pytest.raises(ValueError, match="fit is one of"):
        load_card(card)


def test_the_best_quality_partner_meets_the_photo_in_a_square(tmp_path):
    card = tmp_path / "isnet-int8.toml"
    text = (CARDS_DIR / "isnet-int8.toml").read_text()
    card.write_text(text.replace('partner_fit = "letterbox"', 'partner_fit = "aspect"'))
    with pytest.raises(ValueError, match="partner_fit"):
        load_card(card)
    card.write_text(text)
    assert load_card(card).best["partner_fit"] == "letterbox"
