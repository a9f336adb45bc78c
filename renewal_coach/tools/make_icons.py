"""Render the application icon: ``python -m renewal_coach.tools.make_icons``.

Reads ``resources/icons/renewal-coach.svg`` and writes, beside it, one PNG per size the
freedesktop icon theme and Qt use (``renewal-coach-16.png`` ... ``-512.png``), the Windows
``renewal-coach.ico`` and the macOS ``renewal-coach.icns`` that build.spec gives PyInstaller.
Writes into the source tree only; refuses to run from an installed copy.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from ..paths import NotASourceTreeError, source_path

#: PNG sizes shipped (hicolor theme sizes; 256 and 512 for high-density screens and macOS).
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_name(size: int) -> str:
    return f"renewal-coach-{size}.png"


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn at ``size`` x ``size`` pixels, as PNG bytes (Qt's SVG renderer)."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def build(folder: Path) -> list[Path]:
    """Write every PNG, the ICO and the ICNS into ``folder``; return the files written."""
    from PIL import Image

    from ..fileio import write_bytes

    svg = folder / "renewal-coach.svg"
    written: list[Path] = []
    images = {}
    for size in SIZES:
        data = render_png(svg, size)
        target = folder / png_name(size)
        write_bytes(target, data)
        written.append(target)
        images[size] = Image.open(io.BytesIO(data)).convert("RGBA")
    biggest = images[max(SIZES)]
    for name, fmt, sizes in (
        ("renewal-coach.ico", "ICO", ICO_SIZES),
        ("renewal-coach.icns", "ICNS", None),
    ):
        out = io.BytesIO()
        if sizes:
            biggest.save(out, fmt, sizes=[(s, s) for s in sizes])
        else:
            biggest.save(out, fmt)
        write_bytes(folder / name, out.getvalue())
        written.append(folder / name)
    return written


def main(argv: list[str] | None = None) -> int:
    del argv
    try:
        folder = source_path("resources", "icons")
    except NotASourceTreeError as exc:
        print(exc, file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    for path in build(folder):
        print(f"Wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
