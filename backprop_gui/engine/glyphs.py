"""The built-in image datasets' glyphs: 4x4 digits drawn as string art ("#" ink = 1.0,
"." paper = 0.0), so a reader can check what the network is asked to learn."""

from __future__ import annotations

import numpy as np

IMAGE_SHAPE = (4, 4)

# The four glyphs both image sets use.
ZERO_ROUND = (
    ".##.\n"
    "#..#\n"
    "#..#\n"
    ".##.")
ZERO_SQUARE = (
    "####\n"
    "#..#\n"
    "#..#\n"
    "####")
ONE_FLAG = (
    "..#.\n"
    ".##.\n"
    "..#.\n"
    "..#.")
ONE_WITH_BASE = (
    ".#..\n"
    "##..\n"
    ".#..\n"
    "###.")

ZERO_ONE_GLYPHS: dict[str, list[str]] = {
    "0": [
        ZERO_ROUND,
        ZERO_SQUARE,

        "###.\n"
        "#.#.\n"
        "#.#.\n"
        "###.",

        ".###\n"
        ".#.#\n"
        ".#.#\n"
        ".###",
    ],
    "1": [
        ONE_FLAG,

        ".#..\n"
        ".#..\n"
        ".#..\n"
        ".#..",

        "..#.\n"
        "..#.\n"
        "..#.\n"
        "..#.",

        ONE_WITH_BASE,
    ],
}

# The ten digits in a 4x4 grid. Some are necessarily rough (8 and 5 have too few rows for
# two bowls); a second variant is given where a digit is commonly written two ways. Glyphs
# of different digits differ in at least 3 pixels, so a copy with one pixel flipped never
# becomes (or ties with) another digit's glyph.
DIGIT_GLYPHS: dict[str, list[str]] = {
    "0": [ZERO_ROUND, ZERO_SQUARE],
    "1": [ONE_FLAG, ONE_WITH_BASE],
    "2": [
        "###.\n"
        "...#\n"
        ".##.\n"
        "####",

        "###.\n"
        "..#.\n"
        ".#..\n"
        "####",
    ],
    "3": [
        "####\n"
        ".###\n"
        "...#\n"
        "####",

        "###.\n"
        ".##.\n"
        "..#.\n"
        "###.",
    ],
    "4": [
        "#.#.\n"
        "#.#.\n"
        "####\n"
        "..#.",

        "..#.\n"
        ".##.\n"
        "####\n"
        "..#.",
    ],
    "5": [
        "####\n"
        "###.\n"
        "...#\n"
        "###.",
    ],
    "6": [
        "#...\n"
        "####\n"
        "#..#\n"
        "####",
    ],
    "7": [
        "####\n"
        "...#\n"
        "..#.\n"
        ".#..",
    ],
    "8": [
        "####\n"
        ".##.\n"
        "#..#\n"
        ".##.",
    ],
    "9": [
        "####\n"
        "#..#\n"
        "####\n"
        "...#",
    ],
}


def parse_glyph(art: str) -> np.ndarray:
    """A string-art glyph ("#" ink, "." paper, one line per row) as a float64 image."""
    rows = [line.strip() for line in art.strip().splitlines()]
    width = len(rows[0])
    if any(len(r) != width for r in rows) or any(c not in "#." for r in rows for c in r):
        raise ValueError(f"malformed glyph:\n{art}")
    return np.array([[1.0 if c == "#" else 0.0 for c in r] for r in rows])
