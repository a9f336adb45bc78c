#!/usr/bin/env bash
# Smoke test of what people install, run by .ci/run after the test suite:
#  1. the PyInstaller one-folder build (build.spec): its size stays under the budget, its
#     command line works (--version, sample, renewals --json, export proposal and brief, read
#     back with python-docx), --install-desktop-entry writes a valid entry, and its GUI starts
#     under Xvfb on the sample with nothing wrong in its log;
#  2. a wheel installed into a fresh venv: the same command line, run outside the source tree.
# Everything runs with a fresh HOME in a temporary folder, never in the checkout.
#
# Usage: packaging/smoke_build.sh   (uses .venv, or the venv named by $VENV)
# Needs: Xvfb (xvfb-run) and the packages in packaging/apt-packages.txt.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${VENV:-$root/.venv}"
py="$venv/bin/python"
budget_mb="${BUNDLE_BUDGET_MB:-200}"
gui_seconds="${GUI_SECONDS:-8}"
work="$(mktemp -d "${TMPDIR:-/tmp}/rc-smoke.XXXXXX")"
keep="${KEEP_SMOKE:-}"
cleanup() { if [ -z "$keep" ]; then rm -rf "$work"; else echo "smoke: kept $work"; fi; }
trap cleanup EXIT

say() { echo "smoke: $*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

version="$("$py" -c 'import renewal_coach; print(renewal_coach.__version__)')"
umask 022  # documents written for the user must come out 0644 under this umask

# A command run the way a user runs it: a fresh HOME, no XDG overrides, not in the checkout.
run_as_user() {
  local home="$1"
  shift
  env -u XDG_DATA_HOME -u XDG_CONFIG_HOME -u XDG_CACHE_HOME -u QT_QPA_PLATFORM \
    -u PYTHONPATH -u VIRTUAL_ENV HOME="$home" "$@"
}

check_docx() {
  "$py" - "$@" <<'PY'
import sys

import docx

for name in sys.argv[1:]:
    document = docx.Document(name)
    text = "\n".join(p.text for p in document.paragraphs)
    if len(text) < 200:
        sys.exit(f"{name}: only {len(text)} characters of text")
    print(f"  {name}: {len(document.paragraphs)} paragraphs, {len(document.inline_shapes)} pictures")
PY
}

# The command-line checks, for one way of installing: $1 the renewal-coach to run, $2 a label.
check_cli() {
  local app="$1" label="$2"
  local dir="$work/$label"
  mkdir -p "$dir/home"
  cd "$dir"
  say "$label: $app"
  out="$(run_as_user "$dir/home" "$app" --version)"
  [ "$out" = "renewal-coach $version" ] || fail "$label --version printed '$out'"
  run_as_user "$dir/home" "$app" sample "$dir/sample.db" >/dev/null
  run_as_user "$dir/home" "$app" renewals --db "$dir/sample.db" --json >"$dir/renewals.json"
  ref="$("$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))[0]["reference"])' \
    "$dir/renewals.json")"
  [ -n "$ref" ] || fail "$label: renewals --json listed no contract"
  run_as_user "$dir/home" "$app" export proposal --contract "$ref" --db "$dir/sample.db" \
    --out "$dir/proposal.docx" >/dev/null
  run_as_user "$dir/home" "$app" export brief --contract "$ref" --db "$dir/sample.db" \
    --out "$dir/brief.docx" >/dev/null
  check_docx "$dir/proposal.docx" "$dir/brief.docx"
  mode="$(stat -c %a "$dir/proposal.docx")"
  [ "$mode" = 644 ] || fail "$label: the proposal is mode $mode under umask 022, not 644"
  run_as_user "$dir/home" "$app" chart horizon --db "$dir/sample.db" --out "$dir/horizon.png" \
    >/dev/null
  # The calendar (icalendar), the agenda, the history and the day's check and backup.
  run_as_user "$dir/home" "$app" calendar --db "$dir/sample.db" --out "$dir/renewals.ics" \
    >/dev/null
  grep -q "^BEGIN:VEVENT" "$dir/renewals.ics" || fail "$label: the calendar holds no event"
  run_as_user "$dir/home" "$app" agenda --db "$dir/sample.db" --json >/dev/null
  run_as_user "$dir/home" "$app" history --db "$dir/sample.db" --limit 5 >/dev/null
  run_as_user "$dir/home" "$app" check --db "$dir/sample.db" >/dev/null
  run_as_user "$dir/home" "$app" backup --db "$dir/sample.db" >/dev/null
  run_as_user "$dir/home" env XDG_DATA_HOME="$dir/xdg" "$app" --install-desktop-entry >/dev/null
  entry="$dir/xdg/applications/renewal-coach.desktop"
  grep -q "^Exec=.*renewal-coach" "$entry" || fail "$label: no Exec line in $entry"
  [ -s "$dir/xdg/icons/hicolor/256x256/apps/renewal-coach.png" ] || fail "$label: no icon"
  if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$entry"; fi
  say "$label: CLI ok (contract $ref; calendar, agenda, history, check, backup)"
  cd "$work"
}

# The GUI on the sample under Xvfb: after a few seconds it is still running with one window
# open, the main window on that file (no dialog waiting for an answer), and nothing in its logs.
check_gui() {
  local app="$1" label="$2"
  local dir="$work/$label"
  command -v xvfb-run >/dev/null || fail "xvfb-run is missing (apt-get install xvfb xauth)"
  cd "$dir"
  local log="$dir/gui.log"
  run_as_user "$dir/home" xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
    "$1" --db "$2" >"$3" 2>&1 &
    pid=$!
    sleep "$4"
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"; echo "the app exited early with status $?" >>"$3"; exit 1
    fi
    for id in $(xwininfo -root -children | awk "/\(\"renewal-coach\"/ {print \$1}"); do
      info=$(xwininfo -id "$id")
      if grep -q "Map State: IsViewable" <<<"$info"; then
        sed -n "s/^xwininfo: Window id: [^ ]* \"\(.*\)\"\$/\1/p" <<<"$info"
      fi
    done >"$5"
    kill "$pid"; wait "$pid" || true
  ' gui "$app" "$dir/sample.db" "$log" "$gui_seconds" "$dir/windows.txt" \
    || { cat "$log" >&2; fail "$label GUI"; }
  if [ "$(wc -l <"$dir/windows.txt")" -ne 1 ] || ! grep -q "sample.db" "$dir/windows.txt"; then
    fail "$label GUI: expected only the main window on sample.db, found: $(cat "$dir/windows.txt")"
  fi
  local crash="$dir/home/.local/share/renewal-coach/renewal-coach.log"
  if grep -Eiq "traceback|fatal python error|could not load the qt platform plugin|error" "$log" \
    || { [ -f "$crash" ] && [ -s "$crash" ]; }; then
    cat "$log" >&2
    [ -f "$crash" ] && cat "$crash" >&2
    fail "$label GUI: errors in its log"
  fi
  say "$label: GUI ran ${gui_seconds}s on the sample, window '$(cat "$dir/windows.txt")', clean log"
  cd "$work"
}

# 1. The PyInstaller build.
"$py" -m PyInstaller --version >/dev/null 2>&1 || "$py" -m pip install -q pyinstaller
say "building with PyInstaller $("$py" -m PyInstaller --version)"
started=$SECONDS
(cd "$root" && "$py" -m PyInstaller --noconfirm --log-level ERROR --distpath "$work/dist" \
  --workpath "$work/build" build.spec)
bundle="$work/dist/renewal-coach-$version"
size_kb="$(du -sk "$bundle" | cut -f1)"
size_mb=$(((size_kb + 1023) / 1024))
say "built $bundle in $((SECONDS - started)) s: ${size_mb} MB (budget ${budget_mb} MB)"
[ "$size_mb" -lt "$budget_mb" ] || fail "the build is ${size_mb} MB, over the ${budget_mb} MB budget"
check_cli "$bundle/renewal-coach" built
check_gui "$bundle/renewal-coach" built

# 2. A wheel in a fresh venv.
"$py" -m pip wheel -q --no-deps -w "$work/wheel" "$root"
wheel="$(ls "$work"/wheel/renewal_coach-*.whl)"
python3 -m venv "$work/wheel-venv"
"$work/wheel-venv/bin/pip" install -q "$wheel"
check_cli "$work/wheel-venv/bin/renewal-coach" wheel
check_gui "$work/wheel-venv/bin/renewal-coach" wheel
say "all checks passed"
