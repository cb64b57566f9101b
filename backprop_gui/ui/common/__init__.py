"""Helpers every widget may use: actions, colours and the theme, the one throttle, plain text for text from files, live-updating text."""
