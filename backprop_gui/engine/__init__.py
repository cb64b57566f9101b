"""The backprop engine: pure NumPy, no Qt. Every number the window shows comes from here."""

from .activations import ACTIVATIONS, Activation, get_activation
from .losses import LOSSES, Loss, get_loss
from .network import Gradients, Network, Trace, check_architecture

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation",
    "LOSSES", "Loss", "get_loss",
    "Gradients", "Network", "Trace", "check_architecture",
]
