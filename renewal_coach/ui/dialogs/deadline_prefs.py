"""Preferences ▸ Deadlines: how far This Week looks and when a date counts as near.

These settings live in the database (``renewal_coach.storage.agenda``), so the command line's
``agenda`` and the app agree on one portfolio; the tray notification is the person's own
choice and lives in their settings file.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QSpinBox, QWidget

from ...core.deadlines import DeadlineSettings

#: The fields shown, with their label and what they mean.
_FIELDS = (
    ("agenda_days", "&This Week looks ahead:", "How many days ahead the This Week page lists"),
    (
        "near_days",
        "&Mark a deadline near within:",
        "Deadlines this close get ⚠ and the words on every page",
    ),
    (
        "nudge_days",
        "&Announce notice and option dates within:",
        "At start the status bar and This Week name notice deadlines and option dates this close",
    ),
    (
        "concern_serious_days",
        "List a severity &1 concern open longer than:",
        "Serious concerns still open after this many days go on This Week",
    ),
    (
        "concern_other_days",
        "List any &other concern open longer than:",
        "Other concerns still open after this many days go on This Week",
    ),
)


class DeadlineSettingsBox(QGroupBox):
    """The deadline settings as bounded number boxes, and the tray notification choice."""

    def __init__(
        self,
        settings: DeadlineSettings,
        *,
        tray: bool = False,
        tray_available: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.tr("Deadlines"), parent)
        self._original = settings
        self.boxes: dict[str, QSpinBox] = {}
        form = QFormLayout(self)
        limits = DeadlineSettings._LIMITS
        for name, label, tip in _FIELDS:
            box = QSpinBox()
            low, high = limits[name]
            box.setRange(low, high)
            box.setValue(getattr(settings, name))
            box.setSuffix(self.tr(" days"))
            box.setToolTip(self.tr(tip))
            box.setAccessibleName(self.tr(label).replace("&", "").rstrip(":"))
            caption = QLabel(self.tr(label))
            caption.setBuddy(box)
            form.addRow(caption, box)
            self.boxes[name] = box
        self.tray_check = QCheckBox(self.tr("A&lso show them as a desktop notification"))
        self.tray_check.setChecked(tray and tray_available)
        self.tray_check.setEnabled(tray_available)
        self.tray_check.setToolTip(
            self.tr("A notification from the system tray when the app starts")
            if tray_available
            else self.tr("This desktop has no system tray to show notifications from")
        )
        form.addRow(self.tray_check)
        note = QLabel(
            self.tr("Kept in the portfolio file, so “renewal-coach agenda” uses the same numbers.")
        )
        note.setWordWrap(True)
        form.addRow(note)

    def value(self) -> DeadlineSettings:
        """The settings as set here (calendar and reminder settings kept as they were)."""
        return dataclasses.replace(
            self._original, **{name: box.value() for name, box in self.boxes.items()}
        )

    def tray(self) -> bool:
        return self.tray_check.isChecked()
