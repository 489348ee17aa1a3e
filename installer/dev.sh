#!/usr/bin/env bash
# Developer entry point: one command to set up and run, one to test.
#   bash installer/dev.sh kiosk   # install what is needed, build the demo library, start the kiosk
#   bash installer/dev.sh test    # install what is needed, run the whole test suite
#   bash installer/dev.sh setup   # only install (system packages + .venv)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=installer/apt.sh
. installer/apt.sh  # apt_get: waits for another package manager (LAWSHELF_APT_WAIT seconds)

# System packages: Qt runtime libraries, fonts with Vietnamese glyphs, Xvfb for UI tests,
# nginx-light (DAV) for sync tests, espeak-ng for read-aloud, cage/grim for the installer test,
# faketime to run `lawshelf sync` under a clock set back (tests/sync/test_recovery.py).
# tesseract-ocr + tesseract-ocr-vie (and its -osd dependency) to read scanned PDFs.
APT_PACKAGES="python3 python3-venv python3-dev gcc xvfb xauth xdotool x11-utils fonts-noto-core fonts-dejavu-core \
libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 \
libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libdbus-1-3 libfontconfig1 \
libnss3 libasound2 libpulse0 libgstreamer1.0-0 nginx-light apache2-utils espeak-ng sox cage grim \
systemd iproute2 nftables xwayland faketime tesseract-ocr tesseract-ocr-vie"

need_apt() {
  for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || return 0
  done
  return 1
}

setup_system() {
  if need_apt; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    apt_get update -qq
    # libasound2 is libasound2t64 on Ubuntu 24.04: install what this release has.
    local pkgs=""
    for p in $APT_PACKAGES; do
      if apt-cache show "$p" >/dev/null 2>&1; then pkgs="$pkgs $p";
      elif apt-cache show "${p}t64" >/dev/null 2>&1; then pkgs="$pkgs ${p}t64"; fi
    done
    # shellcheck disable=SC2086
    apt_get install -y -qq --no-install-recommends $pkgs >/dev/null
    # nginx-light starts a default site on Debian; the tests run their own instances.
    $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true
  fi
}

setup_python() {
  local stamp=.venv/.installed
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -e '.[ui,test]'
    touch "$stamp"
  fi
}

cmd="${1:-kiosk}"
shift || true
case "$cmd" in
  setup)
    setup_system; setup_python ;;
  kiosk)
    setup_system; setup_python
    export LAWSHELF_HOME="${LAWSHELF_HOME:-$PWD/.lawshelf-home}"
    exec .venv/bin/lawshelf kiosk "$@" ;;
  test)
    setup_system; setup_python
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    # One worker per core, at most four: each worker builds its own session fixtures (the demo
    # library, the corpus indexes), so more workers cost memory for little time.
    exec .venv/bin/python -m pytest -q -n auto --maxprocesses=4 "$@" ;;
  *)
    echo "usage: $0 [setup|kiosk|test]" >&2; exit 64 ;;
esac
