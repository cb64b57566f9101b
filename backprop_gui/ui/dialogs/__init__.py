"""Dialogs of the main window: About, Keyboard Shortcuts, Preferences and Re-initialise Weights.

Dialogs are dumb: they show and return values; the main window acts on them.
"""
