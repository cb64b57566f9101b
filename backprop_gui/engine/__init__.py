"""The backprop engine: pure NumPy, no Qt. Every number the window shows comes from here."""

from .activations import ACTIVATIONS, Activation, get_activation
from .losses import LOSSES, Loss, get_loss
from .network import Gradients, Network, Trace, check_architecture

__all__ = [
    "ACTIVATIONS", "Activation", "get_activation",
    "LOSSES", "Loss", "get_loss",
    "Gradients", "Network", "Trace", "check_architecture",
]

from .datasets import BUILTIN_DATASETS, add_noise, default_network_for, load_builtin
from .landscape import (TOY_FUNCTIONS, Descent, ToyFunction, descend, get_toy_function,
                        gradient_descent_path)
from .loss_slice import network_loss_surface

__all__ += [
    "BUILTIN_DATASETS", "add_noise", "default_network_for", "load_builtin",
    "TOY_FUNCTIONS", "Descent", "ToyFunction", "descend", "get_toy_function",
    "gradient_descent_path", "network_loss_surface",
]

from .gradcheck import GradCheckReport, LayerCheck, gradient_check, numerical_gradients
from .walkthrough import (ChainRuleExplanation, Step, chain_rule_paths, loss_after_update,
                          walkthrough)

__all__ += [
    "GradCheckReport", "LayerCheck", "gradient_check", "numerical_gradients",
    "ChainRuleExplanation", "Step", "chain_rule_paths", "loss_after_update", "walkthrough",
]

from .projectfile import (FORMAT_VERSION, MAX_FILE_BYTES, ProjectFileError, dumps_project,
                          load_project, loads_project, project_from_dict, project_to_dict,
                          save_project)

__all__ += [
    "FORMAT_VERSION", "MAX_FILE_BYTES", "ProjectFileError", "dumps_project", "load_project",
    "loads_project", "project_from_dict", "project_to_dict", "save_project",
]

from .training import STOP_CODES, EpochResult, StopReason, Trainer

__all__ += ["STOP_CODES", "EpochResult", "StopReason", "Trainer"]
