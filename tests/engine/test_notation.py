"""The textbook's symbols as the app writes them (engine/notation.py)."""

from __future__ import annotations

from backprop_gui.engine.notation import entry, input_name, sub, sup, symbol
from backprop_gui.engine.overflow import number_text


def test_superscripts_and_subscripts_cover_every_digit_and_the_minus():
    assert sup(1234567890) == "¹²³⁴⁵⁶⁷⁸⁹⁰"
    assert sup(-12) == "⁻¹²"
    assert sup("l") == "l"            # letters pass through: a⁽ˡ⁾ is written by hand
    assert sub(1234567890) == "₁₂₃₄₅₆₇₈₉₀"


def test_symbols_and_entries_are_shown_1_based():
    assert symbol("W", 2) == "W²"
    assert symbol("a", 0) == "a⁰"
    assert entry("W", 2, 2, 4) == "W²[3,5]"
    assert entry("b", 1, 0) == "b¹[1]"
    assert entry("z", 12, 9) == "z¹²[10]"
    assert input_name(0) == "x₁"
    assert input_name(11) == "x₁₂"


def test_powers_of_ten_use_the_same_superscripts():
    assert number_text(-1.5e20) == "−1.5×10²⁰"
    assert number_text(2.5e-7) == "2.5×10⁻⁷"
