"""A panel brought to the front by its name, as `backprop-gui --screenshot FILE --panel NAME`
asks: the dock is shown (if closed) and raised, which selects its tab when it shares its place
with other panels."""

from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QMainWindow


def panel_name(known: list[str], wanted: str) -> str:
    """The dock name among `known` that `wanted` names, ignoring case; ValueError naming the
    known ones (in lower case, as typed on the command line) otherwise."""
    for name in known:
        if name.casefold() == wanted.strip().casefold():
            return name
    listed = ", ".join(name.lower() for name in known)
    raise ValueError(f"unknown panel {wanted!r} (known: {listed})")


def bring_panel_to_front(window: QMainWindow, wanted: str) -> QDockWidget:
    """Show and raise the dock that `wanted` names (see `panel_name`) in `window`, a
    MainWindow (its `dock_names()` and `dock(name)`)."""
    dock = window.dock(panel_name(window.dock_names(), wanted))
    dock.show()
    dock.raise_()
    return dock
