"""Every icon the app shows comes from :func:`icon`, so the look can change in one place.

The desktop's icon theme is used when it has the icon (so the app matches the rest of the
system, light or dark); otherwise Qt's own style icons, which every platform has.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

_SP = QStyle.StandardPixmap
_THEME = QIcon.ThemeIcon

#: name -> (theme icon, style fallback)
_ICONS: dict[str, tuple[QIcon.ThemeIcon, QStyle.StandardPixmap]] = {
    "new": (_THEME.DocumentNew, _SP.SP_FileIcon),
    "open": (_THEME.DocumentOpen, _SP.SP_DialogOpenButton),
    "save": (_THEME.DocumentSave, _SP.SP_DialogSaveButton),
    "undo": (_THEME.EditUndo, _SP.SP_ArrowBack),
    "redo": (_THEME.EditRedo, _SP.SP_ArrowForward),
    "find": (_THEME.EditFind, _SP.SP_FileDialogContentsView),
    "back": (_THEME.GoPrevious, _SP.SP_ArrowLeft),
    "refresh": (_THEME.ViewRefresh, _SP.SP_BrowserReload),
    "quit": (_THEME.ApplicationExit, _SP.SP_DialogCloseButton),
    "about": (_THEME.HelpAbout, _SP.SP_MessageBoxInformation),
    "portfolio": (_THEME.FolderOpen, _SP.SP_DirOpenIcon),
    "this_week": (_THEME.AppointmentSoon, _SP.SP_FileDialogListView),
    "renewals": (_THEME.AppointmentNew, _SP.SP_FileDialogDetailedView),
    "insights": (_THEME.ZoomFitBest, _SP.SP_FileDialogInfoView),
    "account": (_THEME.AddressBookNew, _SP.SP_DirHomeIcon),
    "log": (_THEME.MailMessageNew, _SP.SP_FileDialogNewFolder),
    "warning": (_THEME.DialogWarning, _SP.SP_MessageBoxWarning),
}


def icon(name: str) -> QIcon:
    """The icon called ``name`` (see ``_ICONS``); raises KeyError for an unknown name."""
    theme, fallback = _ICONS[name]
    app = QApplication.instance()
    style = app.style() if isinstance(app, QApplication) else None
    backup = style.standardIcon(fallback) if style is not None else QIcon()
    return QIcon.fromTheme(theme, backup)


def names() -> tuple[str, ...]:
    """Every icon name the helper knows."""
    return tuple(_ICONS)
