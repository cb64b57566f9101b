"""How big a lesson may be: one home for the limits the loader checks.

A lesson is handed round a classroom like a project file, so the loader refuses anything
that would make the window slow or huge before it is shown: a lesson of the largest
allowed size loads in well under a second.
"""

from __future__ import annotations

MAX_LESSON_BYTES = 512 * 1024        # a lesson file (TOML or JSON), read at most this far
MAX_PAGES = 200
MAX_TITLE_CHARS = 200                # a lesson's or a page's title, a choice
MAX_TEXT_CHARS = 20_000              # a page's text, a question, a hint, a solution
MAX_ACTIONS = 40                     # setup actions on one page
MAX_CHOICES = 10
MAX_LIST_ITEMS = 40                  # panels or controls named in one action
MAX_EXPRESSION_CHARS = 200           # a question's expression, a {{…}} in text
MAX_PLACEHOLDERS = 100               # {{…}} in one text
MAX_IMAGES = 6                       # pictures on one page
MAX_IMAGE_BYTES = 2 * 1024 * 1024    # one picture beside the lesson
MAX_RUN_EPOCHS = 100_000             # epochs one run_epochs action may train
MAX_ID_CHARS = 64
