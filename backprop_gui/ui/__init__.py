"""Widgets: the main window's panels, the network diagram and the plots."""
