"""Save the whole diagram with its legend as a PNG or an SVG file."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter, QPaintDevice

from .buttons import HoverButtonItem
from .legend import LegendSpec, legend_size, paint_legend
from .scene import DiagramScene

MARGIN = 24.0


@contextmanager
def _as_printed(scene: DiagramScene) -> Iterator[None]:
    """The scene as on paper, whatever the view's zoom: labels at their own size and in full
    (a small view enlarges and shortens them to stay readable on screen), no step caption
    (a screen aid that ignores the zoom)."""
    view_scale, compact = scene.view_scale, scene.labels.compact
    caption = scene.caption.isVisible()
    scene.caption.setVisible(False)
    scene.labels.set_compact(False)
    scene.set_view_scale(1.0)
    try:
        yield
    finally:
        scene.set_view_scale(view_scale)
        scene.labels.set_compact(compact)
        scene.caption.setVisible(caption)


def _geometry(scene: DiagramScene, spec: LegendSpec) -> tuple[QRectF, float]:
    source = scene.content_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    legend_h = legend_size(spec, source.width() - 2 * MARGIN).height()
    return source, legend_h + MARGIN


def _paint(device: QPaintDevice, scene: DiagramScene, spec: LegendSpec, source: QRectF,
           scale: float) -> None:
    hidden = [item for item in scene.items() if isinstance(item, HoverButtonItem) and item.isVisible()]
    for item in hidden:
        item.setVisible(False)
    painter = QPainter(device)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        target = QRectF(0.0, 0.0, source.width() * scale, source.height() * scale)
        painter.fillRect(QRectF(0, 0, device.width(), device.height()), scene.theme.background)
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        painter.scale(scale, scale)
        paint_legend(painter, spec, scene.theme, QPointF(MARGIN, source.height()),
                     source.width() - 2 * MARGIN)
    finally:
        painter.end()
        for item in hidden:
            item.setVisible(True)


def export_png(scene: DiagramScene, spec: LegendSpec, path: str | Path, scale: float = 2.0) -> None:
    if not scale > 0:
        raise ValueError("the scale must be positive")
    with _as_printed(scene):
        source, legend_h = _geometry(scene, spec)
        size = QSize(round(source.width() * scale), round((source.height() + legend_h) * scale))
        if size.width() * size.height() > 400_000_000:
            raise ValueError("the image would be too large; choose a smaller scale")
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(scene.theme.background)
        _paint(image, scene, spec, source, scale)
    if not image.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")


def export_svg(scene: DiagramScene, spec: LegendSpec, path: str | Path, title: str = "") -> None:
    from PySide6.QtSvg import QSvgGenerator  # only exporting SVG needs QtSvg

    with _as_printed(scene):
        source, legend_h = _geometry(scene, spec)
        w, h = round(source.width()), round(source.height() + legend_h)
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(QSize(w, h))
        generator.setViewBox(QRect(0, 0, w, h))
        generator.setTitle(title or "Network diagram")
        generator.setDescription("Exported from Backprop GUI")
        _paint(generator, scene, spec, source, 1.0)
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        raise OSError(f"could not write {path}")
