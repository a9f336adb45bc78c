"""Small widgets more than one page uses."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A centred message with one optional action, shown instead of an empty list, and optional
    further actions beside it (``extra_clicked(index)``)."""

    extra_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.extras: list[QPushButton] = []
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
        self._buttons = QHBoxLayout()
        self._buttons.addStretch(1)
        self._buttons.addWidget(self.action)
        self._buttons.addStretch(1)
        inner.addLayout(self._buttons)
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

    def show_message(self, title: str, body: str, action: str, extras: Sequence[str] = ()) -> None:
        self.title.setText(title)
        self.body.setText(body)
        self.action.setText(action)
        self.action.setVisible(bool(action))
        while len(self.extras) < len(extras):
            button = QPushButton()
            index = len(self.extras)
            button.clicked.connect(lambda _c=False, i=index: self.extra_clicked.emit(i))
            self._buttons.insertWidget(self._buttons.count() - 1, button)
            self.extras.append(button)
        for index, button in enumerate(self.extras):
            if index < len(extras):
                button.setText(extras[index])
            button.setVisible(index < len(extras))
