"""Lesson files: schema, loader and the lesson state machine (no Qt, no widgets)."""
