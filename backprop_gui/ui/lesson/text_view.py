"""The page's text: rich text the lesson cannot use to reach a file or an address.

The HTML comes from lessons.markup.to_html (every character of the teacher's text escaped),
and this browser loads nothing by itself: `loadResource` answers only for the pictures the
panel registered (read from beside the lesson, through read_regular_file), and links are
never followed by the browser: a glossary link ([[term]] in the lesson) is announced as
`glossary_requested(term)` for the panel to open the User Guide there; any other is ignored.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, QUrl, Signal
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QFrame, QTextBrowser, QWidget

from ...engine.regular_file import read_regular_file
from ...lessons.limits import MAX_IMAGE_BYTES
from ...lessons.markup import GLOSSARY_SCHEME

IMAGE_SCHEME = "lesson-image"
MAX_IMAGE_WIDTH = 420


def glossary_term(link: str | QUrl) -> str | None:
    """The term a lesson's link names ("glossary:epoch" → "epoch"); None for any other link."""
    url = QUrl(link) if isinstance(link, str) else link
    if url.scheme() != GLOSSARY_SCHEME or not url.path():
        return None
    return url.path()


class LessonText(QTextBrowser):
    glossary_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson_text")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._images: dict[str, QImage] = {}

    def sizeHint(self):  # noqa: N802 (Qt override)
        # Small: the text scrolls, the question and Back/Next below it stay in view.
        return QSize(260, 120)

    def show_page(self, html: str, images: tuple[Path, ...] = ()) -> list[str]:
        """Show `html` (safe HTML from to_html) with `images` below it; notes for pictures
        that could not be read."""
        self._images.clear()
        notes, tags = [], []
        for k, path in enumerate(images):
            try:
                image = QImage.fromData(read_regular_file(path, MAX_IMAGE_BYTES))
            except OSError as exc:
                notes.append(f"The picture {path.name} cannot be read: {exc}")
                continue
            if image.isNull():
                notes.append(f"The picture {path.name} is not a PNG or JPEG image.")
                continue
            url = f"{IMAGE_SCHEME}:{k}"
            self._images[url] = image
            width = min(image.width(), MAX_IMAGE_WIDTH)
            tags.append(f'<p align="center"><img src="{url}" width="{width}"></p>')
        self.setHtml(html + "\n".join(tags))
        return notes

    def _on_anchor(self, url: QUrl) -> None:
        term = glossary_term(url)
        if term:
            self.glossary_requested.emit(term)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 (Qt override)
        # Only the pictures registered above; never a file, a path or an address.
        if kind == QTextDocument.ResourceType.ImageResource.value or \
                kind == QTextDocument.ResourceType.ImageResource:
            return self._images.get(url.toString())
        return None
