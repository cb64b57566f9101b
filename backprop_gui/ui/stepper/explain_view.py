""""Explain this gradient": ∂L/∂w of the selected weight, taken apart by the chain rule.

∂L/∂W⁽ˡ⁾[j,i] = ∂L/∂z⁽ˡ⁾[j] · a⁽ˡ⁻¹⁾[i]; for a hidden layer the error signal ∂L/∂z⁽ˡ⁾[j] is
f′(z⁽ˡ⁾[j]) times the sum over the paths through the next layer, one per neuron k:
W⁽ˡ⁺¹⁾[k,j] · ∂L/∂z⁽ˡ⁺¹⁾[k]. Every number is a factor of the engine's `chain_rule_paths`
(for the selected sample); the page multiplies them out and checks the product against
backprop's own ∂L/∂w. Indices are shown 1-based, as in the textbook.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from ...engine.losses import Loss
from ...engine.notation import input_name, sup
from ...engine.selection import Selection
from ...engine.walkthrough import ChainRuleExplanation, chain_rule_paths
from ...session.session import Session
from ..common.formatting import fmt, full

MAX_PATH_ROWS = 12
HINT = ("<p><b>Select a weight to see its gradient taken apart by the chain rule.</b></p>"
        "<p>Click an edge in the network diagram, or click a number in a W or ∂L/∂W matrix "
        "of the worked calculation.</p>"
        "<p>You will see ∂L/∂w written as a product of factors along the weight's path to the "
        "loss, each with its number, and, for a hidden layer, the sum over every path through "
        "the next layer.</p>")

_CSS = """
<style>
 .f { font-size: 115%; margin: 6px 0 6px 12px; }
 .ok { color: #1a7f37; }
 .bad { color: #b3261e; }
 td, th { padding: 2px 8px; }
 th { text-align: left; }
 td.n { text-align: right; }
</style>
"""


def _n(v: float) -> str:
    """A factor in a product: negative numbers in parentheses."""
    return f"({fmt(v)})" if v < 0 else fmt(v)


def _num(v: float) -> str:
    return f"<span title='{full(v)}'>{fmt(v)}</span>"


def _convention_part(loss: Loss) -> str:
    """Which loss convention the gradient follows (mean or sum) and what that does to it."""
    return (f"<p><b>The loss:</b> {html.escape(loss.display)}, "
            f"<i>{html.escape(loss.formula)}</i>. {html.escape(loss.convention)}</p>")


class ExplainView(QWidget):
    """Shows the chain rule for the session's selected weight (or bias, or neuron)."""

    paths_shown = Signal(object)   # the weight or neuron whose paths the page shows, or None

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setToolTip("The selected weight's gradient as a product of chain-rule "
                                "factors, each with its number for the selected sample")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.explanation: ChainRuleExplanation | None = None
        self.target: Selection | None = None
        self.batch = False   # the step-through shows the whole batch (say how they relate)

    # ----- content --------------------------------------------------------------------------

    def refresh(self) -> None:
        sel = self.session.selection
        self.explanation, self.target = None, None
        try:
            html_text = self._page(sel)
        except (ValueError, IndexError) as exc:
            html_text = f"<p>{html.escape(str(exc))}</p>"
        self.browser.setHtml(_CSS + html_text)
        self.paths_shown.emit(self.target)

    def text(self) -> str:
        """The page as plain text (for tests)."""
        return self.browser.toPlainText()

    def _page(self, sel: Selection | None) -> str:
        net = self.session.network
        if sel is None:
            return HINT
        if sel.is_neuron and sel.layer == 0:
            return ("<p>An input pixel has no weights before it, so there is no gradient "
                    "to explain here. Select a weight (an edge) instead.</p>" + HINT)
        l, j = sel.layer, sel.j
        i = sel.i if sel.is_weight else 0
        trace, grads = self.session.trace(), self.session.gradients()
        ex = chain_rule_paths(net, trace, grads, l, j, i)
        self.explanation = ex
        # The paths start at the weight, or (for a bias or a neuron) at the neuron.
        self.target = sel if sel.is_weight else Selection.neuron(l, j)
        sample = self.session.input_description()
        s, p = sup(l), sup(l - 1)
        J, I = j + 1, i + 1
        dz_name = f"∂L/∂z{s}[{J}]"
        combined = "sum" if net.loss_fn.sums_samples else "average"
        parts = [f"<p style='color:gray'>For {sample}"
                 + (" (not in the dataset)." if self.session.trying else ", the selected sample.")
                 + (f" The whole batch's gradient is the {combined} of such per-sample "
                    "gradients over every sample." if self.batch else "") + "</p>"]
        if sel.is_weight:
            parts.append(f"<h3>Why ∂L/∂W{s}[{J},{I}] = {_num(ex.gradient.value)}</h3>")
            src = f"input {input_name(i)}" if l == 1 else f"neuron {I} of layer {l - 1}"
            parts.append(f"<p>W{s}[{J},{I}] carries {src} into neuron {J} of layer {l}. "
                         f"Nudging it changes z{s}[{J}] by a{p}[{I}] per unit, and the loss "
                         f"changes by {dz_name} per unit of z{s}[{J}]. The chain rule multiplies "
                         "the two:</p>")
            parts.append(f"<p class=f>∂L/∂W{s}[{J},{I}] = {dz_name} · a{p}[{I}]</p>")
        elif sel.is_bias:
            parts.append(f"<h3>Why ∂L/∂b{s}[{J}] = {_num(float(grads.db[l - 1][j]))}</h3>")
            parts.append(f"<p>The bias is added straight into z{s}[{J}], so its gradient is the "
                         f"neuron's error signal itself: ∂L/∂b{s}[{J}] = {dz_name}.</p>")
        else:
            parts.append(f"<h3>The error signal of neuron {J} in layer {l}: "
                         f"{dz_name} = {_num(ex.dz.value)}</h3>")
        parts.append(self._dz_part(ex, l, j, s))
        if sel.is_weight:
            parts.append(self._product_part(ex, l, J, I, s, p))
        parts.append(_convention_part(net.loss_fn))
        return "".join(parts)

    def _dz_part(self, ex: ChainRuleExplanation, l: int, j: int, s: str) -> str:
        J = j + 1
        dz_name = f"∂L/∂z{s}[{J}]"
        net = self.session.network
        if ex.derivative is None:  # the output layer
            trace = self.session.trace()
            y_hat = float(trace.output[0, j])
            target = float(self.session.sample_target()[j])
            rule = ex.dz_formula.split("=", 1)[1].strip() if "=" in ex.dz_formula else ex.dz_formula
            text = (f"<p>Neuron {J} is an output: its error signal comes straight from the loss, "
                    f"<i>{html.escape(rule)}</i>. Here ŷ[{J}] = {_num(y_hat)} and the target "
                    f"y[{J}] = {_num(target)}, so</p>"
                    f"<p class=f>{dz_name} = {_num(ex.dz.value)}</p>")
            return text
        n = sup(l + 1)
        fprime = ex.derivative.label.split("(")[0]
        k_count = len(ex.paths)
        rows = []
        for k, term in enumerate(ex.paths[:MAX_PATH_ROWS]):
            w, d = term.factors
            rows.append(f"<tr><td>{k + 1}</td><td class=n>{_num(w.value)}</td><td>×</td>"
                        f"<td class=n>{_num(d.value)}</td><td>=</td>"
                        f"<td class=n><b>{_num(term.value)}</b></td></tr>")
        if k_count > MAX_PATH_ROWS:
            rest = sum(t.value for t in ex.paths[MAX_PATH_ROWS:])
            rows.append(f"<tr><td colspan=5>… {k_count - MAX_PATH_ROWS} more paths</td>"
                        f"<td class=n>{_num(rest)}</td></tr>")
        rows.append(f"<tr><td colspan=5><b>Σ over the {k_count} paths = ∂L/∂a{s}[{J}]</b></td>"
                    f"<td class=n><b>{_num(ex.path_sum)}</b></td></tr>")
        deriv = ex.derivative.value
        why = ""
        if net.activations[l - 1].slope_by_sign:
            z = float(self.session.trace().z[l][0, j])
            why = (f" (z{s}[{J}] = {fmt(z)} is {'positive' if z > 0 else 'not positive'}, "
                   f"so the slope is {fmt(deriv)})")
        return (f"<p>Neuron {J} of layer {l} feeds all {k_count} neurons of layer {l + 1}, so the "
                f"loss feels it along {k_count} path{'s' if k_count != 1 else ''}. "
                f"Its error signal adds them up, then multiplies by the activation's slope:</p>"
                f"<p class=f>{dz_name} = {fprime}(z{s}[{J}]) · Σₖ W{n}[k,{J}] · ∂L/∂z{n}[k]</p>"
                f"<table><tr><th>k</th><th>W{n}[k,{J}]</th><th></th><th>∂L/∂z{n}[k]</th><th></th>"
                f"<th>path</th></tr>{''.join(rows)}</table>"
                f"<p>The slope {fprime}(z{s}[{J}]) = {_num(deriv)}{why}, so</p>"
                f"<p class=f>{dz_name} = {_n(deriv)} · {_n(ex.path_sum)} = {_num(ex.dz.value)}</p>")

    def _product_part(self, ex: ChainRuleExplanation, l: int, J: int, I: int, s: str,
                      p: str) -> str:
        if ex.derivative is None:
            factors = f"{_n(ex.dz.value)} · {_n(ex.a_in.value)}"
        else:
            factors = f"{_n(ex.derivative.value)} · {_n(ex.path_sum)} · {_n(ex.a_in.value)}"
        product = ex.recomposed
        engine = ex.gradient.value
        agree = abs(product - engine) <= 1e-12 * max(1.0, abs(engine))
        check = (f"<p class=ok>✓ Backprop's own ∂L/∂W{s}[{J},{I}] is {full(engine)}: the "
                 "same number.</p>" if agree else
                 f"<p class=bad>Backprop gives {full(engine)}; the factors multiply to "
                 f"{full(product)}.</p>")
        return (f"<p>Putting it together, with a{p}[{I}] = {_num(ex.a_in.value)}:</p>"
                f"<p class=f>∂L/∂W{s}[{J},{I}] = {factors} = <b>{_num(product)}</b></p>{check}")
