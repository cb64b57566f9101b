"""The chain rule for the selected weight or bias written out with its numbers, as plain text.

    ∂L/∂W¹[1,1] = ∂z¹[1]/∂W¹[1,1] · ∂a¹[1]/∂z¹[1] · ∂L/∂a¹[1]
                = a⁰[1] · σ′(z¹[1]) · Σₖ W²[k,1] · ∂L/∂z²[k]
    …every term of the sum with its number…
                = 0.5 · 0.235 · 0.0172 = 0.00202
    Backward pass: ∂L/∂W¹[1,1] = 0.0020212…  ✓ the same number

Every number is a factor of the engine's `ChainRule` (engine/chain.py); this module only writes.
"""

from __future__ import annotations

from ...engine.chain import ChainRule
from ..common.formatting import fmt, full

DIGITS = 4
MAX_TERMS = 32   # a wider layer's sum lists this many terms, then adds up the rest in one line


def factor(value: float) -> str:
    """A number inside a product: negative numbers in parentheses."""
    text = fmt(value, DIGITS)
    return f"({text})" if value < 0 else text


def chain_rule_text(rule: ChainRule) -> str:
    """`rule` as lines of plain text, ending in the backward pass's own number."""
    pad = " " * (len(rule.target) + 1)
    lines = [f"{rule.target} = {' · '.join(rule.symbols)}",
             f"{pad}= {' · '.join(f.label for f in rule.factors)}"]
    if rule.loss_rule:
        operands = ", ".join(f"{f.label} = {fmt(f.value, DIGITS)}" for f in rule.loss_operands)
        lines.append(f"where {rule.loss_rule}, with {operands}: "
                     f"{fmt(rule.factors[-1].value, DIGITS)}")
    if rule.summed:
        lines += _sum_lines(rule)
    numbers = " · ".join(factor(f.value) for f in rule.factors)
    lines.append(f"{pad}= {numbers} = {fmt(rule.value, DIGITS)}")
    mark = ("✓ the same number" if rule.agrees() else
            f"✗ the factors multiply to {full(rule.value)}")
    lines.append(f"Backward pass: {rule.target} = {full(rule.gradient)}  {mark}")
    return "\n".join(lines)


def _sum_lines(rule: ChainRule) -> list[str]:
    last = rule.factors[-1]
    n = len(rule.paths)
    neurons = "its only neuron" if n == 1 else f"each of its {n} neurons k"
    lines = [f"{rule.symbols[-1]} = {last.label}: one path through the next layer, "
             f"through {neurons}:"]
    for k, (term, (w_name, dz_name)) in enumerate(zip(rule.paths[:MAX_TERMS], rule.path_names)):
        w, dz = term.factors
        lines.append(f"  k = {k + 1}: {w_name} · {dz_name} = {factor(w.value)} · "
                     f"{factor(dz.value)} = {fmt(term.value, DIGITS)}")
    if n > MAX_TERMS:
        rest = sum(t.value for t in rule.paths[MAX_TERMS:])
        lines.append(f"  k = {MAX_TERMS + 1} … {n}: together {fmt(rest, DIGITS)}")
    terms = " + ".join(factor(t.value) for t in rule.paths[:MAX_TERMS])
    if n > MAX_TERMS:
        terms += " + …"
    lines.append(f"  Σₖ = {terms} = {fmt(last.value, DIGITS)}")
    return lines
