"""How the app writes the textbook's symbols: superscript layers, subscript inputs, entry names.

Layers are superscripts (W², z³, a⁰ the input); inputs are subscripts (x₃); an entry of a
vector or matrix is named with 1-based indices in brackets (W²[3,5], b¹[2]) while code
counts from 0: `entry("W", 2, 2, 4) == "W²[3,5]"`. Every view writes these names through
here, so the inspector, the tooltips, the step-through and the messages agree letter for
letter.
"""

from __future__ import annotations

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sup(n: int | str) -> str:
    """`n` in superscript digits: sup(12) == "¹²", sup(-3) == "⁻³"."""
    return str(n).translate(_SUPERSCRIPTS)


def sub(n: int | str) -> str:
    """`n` in subscript digits: sub(12) == "₁₂"."""
    return str(n).translate(_SUBSCRIPTS)


def symbol(name: str, layer: int) -> str:
    """A layer's quantity: symbol("W", 2) == "W²", symbol("a", 0) == "a⁰"."""
    return f"{name}{sup(layer)}"


def entry(name: str, layer: int, *indices: int) -> str:
    """One entry, indices 0-based in, 1-based out: entry("W", 2, 2, 4) == "W²[3,5]"."""
    return f"{symbol(name, layer)}[{','.join(str(k + 1) for k in indices)}]"


def input_name(j: int) -> str:
    """Input j (0-based) as the textbook writes it: input_name(2) == "x₃"."""
    return f"x{sub(j + 1)}"
