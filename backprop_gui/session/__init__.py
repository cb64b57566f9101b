"""The session layer: project state, undo commands and the training clock (QtCore/QtGui, no widgets)."""
