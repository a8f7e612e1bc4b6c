#!/usr/bin/env bash
# Install the system libraries convanim needs, only those that are missing.
#   scripts/setup_system.sh            Cairo, Pango, pkg-config (manim's build needs them)
#   scripts/setup_system.sh --browser  also Chromium (the gallery page test opens it)
# Uses apt-get when run as root or with passwordless sudo; otherwise it names the packages.
set -euo pipefail

pkgs=()
need_pkg_config=0
command -v pkg-config >/dev/null 2>&1 || need_pkg_config=1
if [ "$need_pkg_config" = 1 ]; then
  pkgs+=(pkg-config)
fi
if [ "$need_pkg_config" = 1 ] || ! pkg-config --exists cairo 2>/dev/null; then
  pkgs+=(libcairo2-dev)
fi
if [ "$need_pkg_config" = 1 ] || ! pkg-config --exists pangocairo 2>/dev/null; then
  pkgs+=(libpango1.0-dev)
fi
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  pkgs+=(chromium)
fi

[ ${#pkgs[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO="sudo -n"
else
  echo "convanim needs these system packages: ${pkgs[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${pkgs[*]}" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "convanim needs these system packages (no apt-get here): ${pkgs[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${pkgs[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
