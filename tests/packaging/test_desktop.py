"""Desktop integration: the menu entry, icons and AppStream file, the window icon, and native
crashes written into the crash log."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from renewal_coach import APP_ID, APP_NAME, __version__, desktop_entry
from renewal_coach.cli import main
from renewal_coach.paths import resource_path

ROOT = Path(__file__).resolve().parents[2]


def _entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_shipped_entry_matches_the_application() -> None:
    entry = _entry(resource_path("resources", "desktop", f"{APP_ID}.desktop"))
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["StartupWMClass"] == APP_ID
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"


def test_the_metainfo_describes_this_version_and_launches_the_entry() -> None:
    tree = ET.parse(resource_path("resources", "desktop", desktop_entry.METAINFO_FILE))
    root = tree.getroot()
    assert root.findtext("id") == desktop_entry.APPSTREAM_ID
    assert root.findtext("name") == APP_NAME
    assert root.findtext("launchable") == desktop_entry.DESKTOP_FILE
    assert next(r.get("version") for r in root.iter("release")) == __version__


def test_install_writes_the_entry_icons_and_metainfo_under_xdg_data_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    xdg = tmp_path / "xdg data"
    monkeypatch.setenv("XDG_DATA_HOME", str(xdg))
    fake = tmp_path / "my apps" / APP_ID
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setattr(sys, "argv", [str(fake)])
    assert main(["--install-desktop-entry"]) == 0
    desktop = xdg / "applications" / f"{APP_ID}.desktop"
    assert str(desktop) in capsys.readouterr().out
    entry = _entry(desktop)
    assert entry["Exec"] == f'"{fake}"'  # a path with a space is quoted
    assert entry["TryExec"] == str(fake)
    assert entry["Icon"] == APP_ID
    for size in desktop_entry.ICON_SIZES:
        png = xdg / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert png.read_bytes().startswith(b"\x89PNG")
    assert (xdg / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    assert (xdg / "metainfo" / desktop_entry.METAINFO_FILE).is_file()
    # Running it again (after an upgrade) rewrites the same files.
    assert main(["--install-desktop-entry"]) == 0


def test_without_the_script_the_entry_runs_the_module(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(sys, "argv", ["-c"])
    done = desktop_entry.install(tmp_path)
    exec_line = _entry(done.desktop_file)["Exec"]
    assert exec_line.endswith(" -m renewal_coach")
    assert exec_line.split()[0].strip('"') == str(Path(sys.executable).absolute())


def test_desktop_entry_quoting_follows_the_spec() -> None:
    assert desktop_entry._quote("/opt/rc/renewal-coach") == "/opt/rc/renewal-coach"
    assert desktop_entry._quote("/home/a b/rc") == '"/home/a b/rc"'
    assert desktop_entry._quote('/x/$HOME"q`\\') == '"/x/\\$HOME\\"q\\`\\\\"'
    assert desktop_entry._quote("/x/100%") == '"/x/100%%"'


def test_install_into_a_read_only_folder_is_one_line_and_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/renewal-coach-xdg")  # even root cannot create folders in /proc
    else:
        target = tmp_path / "ro"
        target.mkdir()
        target.chmod(0o500)
    monkeypatch.setenv("XDG_DATA_HOME", str(target))
    assert main(["--install-desktop-entry"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("renewal-coach: ") and len(err.strip().splitlines()) == 1


def test_install_desktop_entry_takes_no_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--install-desktop-entry", "renewals"])
    assert exited.value.code == 2


def test_the_icon_files_cover_every_size_and_platform() -> None:
    icons = ROOT / "resources" / "icons"
    assert (icons / f"{APP_ID}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    for size in desktop_entry.ICON_SIZES:
        data = (icons / f"{APP_ID}-{size}.png").read_bytes()
        assert data.startswith(b"\x89PNG")
        assert int.from_bytes(data[16:20], "big") == size  # IHDR width
    assert (icons / f"{APP_ID}.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / f"{APP_ID}.icns").read_bytes()[:4] == b"icns"


def test_the_application_has_the_window_icon(qapp) -> None:
    from renewal_coach.app import configure_application

    configure_application(qapp)
    sizes = {s.width() for s in qapp.windowIcon().availableSizes()}
    assert set(desktop_entry.ICON_SIZES) <= sizes
    assert qapp.desktopFileName() == APP_ID


def test_a_native_crash_is_written_into_the_crash_log(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "renewal-coach.log"
    code = (
        "import faulthandler, sys\n"
        "from pathlib import Path\n"
        "from renewal_coach.app import NativeCrashLog\n"
        f"NativeCrashLog(Path({str(log)!r})).install()\n"
        "faulthandler._sigsegv()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode != 0
    text = log.read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in text
    assert "<string>" in text  # the Python stack that led there


def test_the_crash_log_is_released_on_uninstall(tmp_path: Path) -> None:
    import faulthandler

    from renewal_coach.app import NativeCrashLog

    was = faulthandler.is_enabled()
    native = NativeCrashLog(tmp_path / "renewal-coach.log").install()
    assert faulthandler.is_enabled()
    native.uninstall()
    assert faulthandler.is_enabled() == was


def test_native_crash_log_follows_the_log_when_it_is_rotated(tmp_path) -> None:
    import faulthandler

    from renewal_coach.app import NativeCrashLog
    from renewal_coach.ui import errors

    log = tmp_path / "renewal-coach.log"
    native = NativeCrashLog(log).install()
    errors.after_rotation.append(native.reopen)
    try:
        log.write_text("x" * (errors.MAX_LOG_BYTES + 10), encoding="utf-8")
        assert errors.write_log(log, "a Python error")
        assert (tmp_path / "renewal-coach.log.1").exists()
        faulthandler.dump_traceback(file=native._stream)
        native._stream.flush()
        assert "a Python error" in log.read_text(encoding="utf-8")
        assert "File " in log.read_text(encoding="utf-8")  # the dump went to the new file
        assert "File " not in (tmp_path / "renewal-coach.log.1").read_text(encoding="utf-8")
    finally:
        errors.after_rotation.remove(native.reopen)
        native.uninstall()
