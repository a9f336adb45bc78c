#!/usr/bin/env bash
# Print the packages of packaging/apt-packages.txt on one line: every group, or only the
# groups named (`packaging/apt-packages.sh python qt x11` is README.md's install line).
set -euo pipefail
list="$(dirname "$0")/apt-packages.txt"
awk -v want=" $* " '
  /^[[:space:]]*#/ || NF == 0 { next }
  /^\[/ { group = substr($1, 2, length($1) - 2); next }
  want == "  " || index(want, " " group " ") { for (i = 1; i <= NF; i++) if ($i !~ /^#/) printf "%s%s", sep, $i; else break; sep = " " }
  END { print "" }
' "$list"
