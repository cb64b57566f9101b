"""A neuron, a weight or a bias of the network, named the way the textbook names it.

One index convention, the textbook's, everywhere a Selection is made or read:

- layers are numbered 0 … L: 0 is the input, L the output;
- W⁽ˡ⁾ and b⁽ˡ⁾ (l = 1 … L) lead into layer l: W⁽ˡ⁾[j, i] weighs neuron i of layer l − 1
  into neuron j of layer l, and b⁽ˡ⁾[j] is neuron j's bias. In a Network they are
  `weights[l - 1]` and `biases[l - 1]` (`Selection.param`);
- neuron, row and column indices count from 0 in code and from 1 on screen:
  `Selection.weight(2, 2, 4).name == "W²[3,5]"`, and `Selection.parse("W2[3,5]")` gives it back.

So `layer` is the layer of the neuron a selection is about: the neuron itself, the neuron a
bias belongs to, or the neuron a weight leads into.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Sequence

from .notation import entry

if TYPE_CHECKING:
    import numpy as np

    from .network import Network

Kind = Literal["neuron", "weight", "bias"]
KINDS: tuple[Kind, ...] = ("neuron", "weight", "bias")
# How each kind is named: a neuron by its activation a.
_LETTERS: dict[Kind, str] = {"neuron": "a", "weight": "W", "bias": "b"}
_KIND_OF = {letter: kind for kind, letter in _LETTERS.items()}
_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_NAME = re.compile(r"\s*([Wba])\s*(\d+)\s*\[\s*(\d+)\s*(?:,\s*(\d+)\s*)?\]\s*")


@dataclass(frozen=True)
class Selection:
    """What is selected; make one with `neuron`, `weight`, `bias` or `parse`."""

    kind: Kind
    layer: int            # 0 … L for a neuron, 1 … L for a weight or a bias
    j: int                # the neuron (row of W⁽ˡ⁾, entry of b⁽ˡ⁾)
    i: int | None = None  # a weight's column: the neuron of layer − 1 it comes from

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a selection is a neuron, a weight or a bias, not {self.kind!r}")
        if (self.i is not None) != (self.kind == "weight"):
            raise ValueError("a weight has two indices [j,i]; a neuron or a bias has one [j]")
        # Plain ints (the diagram hands NumPy integers): equal selections print alike.
        for name in ("layer", "j", "i"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, int(value))
        lowest = 0 if self.kind == "neuron" else 1
        if self.layer < lowest or self.j < 0 or (self.i is not None and self.i < 0):
            raise ValueError(f"no {self.kind} at layer {self.layer}, index {self.j}"
                             + (f", {self.i}" if self.i is not None else ""))

    # ----- making one --------------------------------------------------------------------

    @classmethod
    def neuron(cls, layer: int, j: int) -> Selection:
        """Neuron j of layer `layer` (0 = an input)."""
        return cls("neuron", layer, j)

    @classmethod
    def weight(cls, layer: int, j: int, i: int) -> Selection:
        """W⁽ˡ⁾[j, i] with l = `layer`: from neuron i of layer l − 1 to neuron j of layer l."""
        return cls("weight", layer, j, i)

    @classmethod
    def bias(cls, layer: int, j: int) -> Selection:
        """b⁽ˡ⁾[j] with l = `layer`: the bias of neuron j of layer l."""
        return cls("bias", layer, j)

    @classmethod
    def parse(cls, text: str) -> Selection:
        """The selection a name stands for: "W2[3,5]" or "W²[3,5]", "b1[2]", "a0[4]"
        (indices 1-based, as shown); ValueError for anything else."""
        match = _NAME.fullmatch(str(text).translate(_DIGITS))
        if match is None:
            raise ValueError(f"“{text}” names no weight, bias or neuron (write e.g. W2[3,5], "
                             f"b2[3] or a1[4])")
        letter, layer, j, i = match.groups()
        kind = _KIND_OF[letter]
        if (i is not None) != (kind == "weight"):
            raise ValueError(f"“{text}”: a weight has two indices [j,i]; a bias or a neuron one")
        if int(j) < 1 or (i is not None and int(i) < 1):
            raise ValueError(f"“{text}”: indices count from 1")
        return cls(kind, int(layer), int(j) - 1, None if i is None else int(i) - 1)

    # ----- reading it --------------------------------------------------------------------

    @property
    def is_neuron(self) -> bool:
        return self.kind == "neuron"

    @property
    def is_weight(self) -> bool:
        return self.kind == "weight"

    @property
    def is_bias(self) -> bool:
        return self.kind == "bias"

    @property
    def param(self) -> int:
        """Where a weight or bias sits in `Network.weights` / `biases`: layer − 1."""
        if self.is_neuron:
            raise ValueError("a neuron is not a parameter")
        return self.layer - 1

    @property
    def index(self) -> tuple[int, ...]:
        """Where a weight or bias sits in its array (`array_in`): (j, i) in W⁽ˡ⁾, (j,) in b⁽ˡ⁾."""
        if self.is_neuron:
            raise ValueError("a neuron is not a parameter")
        return (self.j,) if self.i is None else (self.j, self.i)

    def array_in(self, net: Network) -> np.ndarray:
        """The array of `net` this weight or bias is an entry of (`weights[param]` or
        `biases[param]`): `array_in(net)[index]` is its value, and writing there changes it."""
        return (net.weights if self.is_weight else net.biases)[self.param]

    @property
    def name(self) -> str:
        """As the app writes it: "W²[3,5]", "b²[3]", "a²[3]" (the neuron's activation)."""
        indices = (self.j,) if self.i is None else (self.j, self.i)
        return entry(_LETTERS[self.kind], self.layer, *indices)

    def __str__(self) -> str:
        return self.name

    def exists_in(self, sizes: Sequence[int]) -> bool:
        """Whether a network with these layer sizes (`Network.sizes`) has this item."""
        L = len(sizes) - 1
        if self.layer > L or self.j >= sizes[self.layer]:
            return False
        return self.i is None or self.i < sizes[self.layer - 1]
