"""Small widgets more than one page uses."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A centred message with one optional action, shown instead of an empty list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.body = QLabel()
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.action = QPushButton()
        # A column of limited width keeps the wrapped text readable and lets its height follow.
        column = QWidget()
        column.setMaximumWidth(480)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(10)
        inner.addWidget(self.title)
        inner.addWidget(self.body)
        inner.addSpacing(6)
        inner.addWidget(self.action, 0, Qt.AlignmentFlag.AlignHCenter)
        # Centred by stretches, not an alignment flag: an aligned item loses its
        # height-for-width, which would clip the wrapped text.
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(column, 100)
        middle.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(middle)
        layout.addStretch(3)

    def show_message(self, title: str, body: str, action: str) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.action.setText(action)
        self.action.setVisible(bool(action))
