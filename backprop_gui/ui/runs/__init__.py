"""Runs side by side: Train ▸ Compare… (the dialog that trains the variants) and the small
list of runs under the Loss plot."""

from .install import install_runs

__all__ = ["install_runs"]
