#!/usr/bin/env bash
# Turn a fresh Debian 12 / Ubuntu 24.04 machine into a LawShelf kiosk (see docs/installer.md).
#
#   sudo bash installer/install.sh [--sync-source URL|DIR] [--trusted-root FILE] [--ward NAME]
#   sudo bash installer/install.sh --upgrade          # new app version; data, keys, config kept
#   sudo bash installer/install.sh --deps-only        # only the system packages, then stop
#
# Options:
#   --ward NAME           the ward or commune shown on screen and in reports; asked for when
#                         run from a terminal without it, left empty otherwise (set it later
#                         with `sudo lawshelf settings set ward_name "Phường ..."`)
#   --from-checkout DIR   install the app from this source tree (default: the tree holding
#                         this script); --package SPEC installs a built wheel/sdist instead
#   --no-start            install and enable everything but start nothing (CI, image builds)
#   --no-apt              do not install system packages (they must already be there)
#   --no-lockdown         skip the OS lockdown files (sysctl, logind, journald)
#   --pin-file FILE       set the librarian PIN from the first line of FILE
#   --timezone TZ         also set the system time zone (e.g. Asia/Ho_Chi_Minh)
#   --signage             a public screen: the law video loop alone (lawshelf-signage.service)
#                         instead of the touch kiosk; --kiosk switches back (kept on --upgrade)
# A package manager already running (unattended upgrades) is waited for, up to
# LAWSHELF_APT_WAIT seconds (default 600).
set -euo pipefail

PREFIX=/opt/lawshelf
CONF=/etc/lawshelf
DATA=/var/lib/lawshelf
UNIT_DIR=/etc/systemd/system
USER_NAME=lawshelf
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(cd "$HERE/.." && pwd)"
# shellcheck source=installer/apt.sh
. "$HERE/apt.sh"
PACKAGE=""
UPGRADE=0
DEPS_ONLY=0
WARD_GIVEN=0
START=1
APT=1
LOCKDOWN=1
SYNC_SOURCE=""
TRUSTED_ROOT=""
WARD=""
PIN_FILE=""
TIMEZONE=""
UNITS="lawshelf-kiosk.service lawshelf-sync.service lawshelf-sync.timer lawshelf-watchdog.service
lawshelf-watchdog.timer lawshelf-screen.service lawshelf-screen.timer lawshelf-app.path lawshelf-app.service
lawshelf-signage.service"
# The session unit on tty1 (kiosk or signage) is enabled by install_session_unit.
ENABLE="lawshelf-sync.timer lawshelf-watchdog.timer lawshelf-screen.timer lawshelf-app.path"
ROLE=""  # kiosk | signage (scans-signage): which session unit runs on tty1, kept in $CONF/role
# Runtime only: Python, Qt's system libraries (xcb for X, wayland for cage), fonts with
# Vietnamese glyphs, the compositor, read-aloud voices, time sync, monitor power control.
APT_PACKAGES="python3 python3-venv ca-certificates cage locales udev fonts-noto-core fonts-dejavu-core
libegl1 libgl1 libxkbcommon0 libwayland-client0 libwayland-cursor0 libwayland-egl1 libdbus-1-3
libfontconfig1 libnss3 libasound2 libpulse0 xwayland libgstreamer1.0-0 libgstreamer-plugins-base1.0-0
gstreamer1.0-plugins-good espeak-ng systemd-timesyncd ddcutil
tesseract-ocr tesseract-ocr-vie"  # OCR of scanned PDFs a librarian adds (scans-signage)

log() { echo "install.sh: $*"; }
die() { echo "install.sh: error: $*" >&2; exit 1; }

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --upgrade) UPGRADE=1 ;;
      --deps-only) DEPS_ONLY=1 ;;
      --from-checkout) SRC="$(cd "$2" && pwd)"; shift ;;
      --package) PACKAGE="$2"; shift ;;
      --no-start) START=0 ;;
      --no-apt) APT=0 ;;
      --no-lockdown) LOCKDOWN=0 ;;
      --sync-source) SYNC_SOURCE="$2"; shift ;;
      --trusted-root) TRUSTED_ROOT="$(realpath "$2")"; shift ;;
      --ward) WARD="$2"; WARD_GIVEN=1; shift ;;
      --pin-file) PIN_FILE="$(realpath "$2")"; shift ;;
      --timezone) TIMEZONE="$2"; shift ;;
      --signage) ROLE=signage ;;
      --kiosk) ROLE=kiosk ;;
      -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
    shift
  done
}

check_system() {
  [ "$(id -u)" -eq 0 ] || die "run as root (sudo bash $0)"
  # shellcheck disable=SC1091
  . /etc/os-release
  case "${ID}-${VERSION_ID:-}" in
    debian-12|ubuntu-24.04) ;;
    *) log "warning: tested on Debian 12 and Ubuntu 24.04, this is ${PRETTY_NAME:-unknown}" ;;
  esac
  if [ "$UPGRADE" -eq 1 ] && [ ! -e "$PREFIX/venv" ]; then die "--upgrade: nothing installed"; fi
  if [ -z "$PACKAGE" ] && [ ! -f "$SRC/pyproject.toml" ]; then die "$SRC is not a LawShelf checkout"; fi
}

install_packages() {
  [ "$APT" -eq 1 ] || return 0
  export DEBIAN_FRONTEND=noninteractive
  local want="" p
  for p in $APT_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && continue
    dpkg-query -W -f='${Status}' "${p}t64" 2>/dev/null | grep -q "install ok installed" && continue
    want="$want $p"
  done
  [ -n "$want" ] || { log "system packages already installed"; return 0; }
  log "installing system packages:$want"
  apt_get update -qq
  local pkgs=""
  for p in $want; do  # Ubuntu 24.04 renamed some libraries with a t64 suffix
    if apt-cache show "$p" >/dev/null 2>&1; then pkgs="$pkgs $p";
    elif apt-cache show "${p}t64" >/dev/null 2>&1; then pkgs="$pkgs ${p}t64";
    else die "package $p not found in this release's archive"; fi
  done
  # shellcheck disable=SC2086
  apt_get install -y -qq --no-install-recommends $pkgs >/dev/null
}

setup_locale() {
  if [ -f /etc/locale.gen ] && command -v locale-gen >/dev/null; then
    if ! locale -a 2>/dev/null | grep -qi '^vi_VN\.utf-\?8$'; then
      sed -i 's/^# *\(vi_VN.UTF-8 UTF-8\)/\1/' /etc/locale.gen
      grep -q '^vi_VN.UTF-8 UTF-8' /etc/locale.gen || echo 'vi_VN.UTF-8 UTF-8' >> /etc/locale.gen
      locale-gen >/dev/null
    fi
  fi
  if [ -n "$TIMEZONE" ]; then
    [ -f "/usr/share/zoneinfo/$TIMEZONE" ] || die "unknown time zone $TIMEZONE"
    ln -sf "/usr/share/zoneinfo/$TIMEZONE" /etc/localtime
    echo "$TIMEZONE" > /etc/timezone
  fi
}

create_user() {
  if ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --home-dir "$DATA" --no-create-home --shell /usr/sbin/nologin \
      --comment "LawShelf kiosk" "$USER_NAME"
  fi
  # Seat devices for cage (logind gives them to the active session; groups are the fallback).
  local g
  for g in video render input audio; do
    getent group "$g" >/dev/null && usermod -a -G "$g" "$USER_NAME"
  done
  install -d -m 0750 -o "$USER_NAME" -g "$USER_NAME" "$DATA"
  install -d -m 0755 "$CONF"
}

# Build from a clean copy of the checkout: an in-tree build would leave build/ and
# *.egg-info behind, and a developer's .venv must not be copied.
copy_source() {
  local tmp
  tmp="$(mktemp -d /tmp/lawshelf-src.XXXXXX)"
  if git -C "$SRC" rev-parse --show-toplevel >/dev/null 2>&1; then
    git -C "$SRC" ls-files -z --cached --others --exclude-standard \
      | (cd "$SRC" && tar --null --ignore-failed-read -T - -cf -) 2>/dev/null | tar -C "$tmp" -xf -
  else
    tar -C "$SRC" --exclude=.venv --exclude=.git --exclude='*.egg-info' -cf - . | tar -C "$tmp" -xf -
  fi
  echo "$tmp"
}

# The venv lives in a versioned folder and $PREFIX/venv points at it, so an upgrade builds
# the new one beside the running one and switches with one rename (scripts in a venv
# carry absolute paths, so a venv cannot itself be moved).
install_app() {
  local stamp new
  stamp="$(date -u +%Y%m%d%H%M%S)"
  new="$PREFIX/venvs/$stamp"
  install -d -m 0755 "$PREFIX" "$PREFIX/venvs" "$PREFIX/bin" "$PREFIX/docs"
  log "creating the app environment in $new"
  /usr/bin/python3 -m venv "$new"
  "$new/bin/pip" install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" >&2 || true
  local spec="$PACKAGE"
  if [ -z "$spec" ]; then spec="$(copy_source)"; fi
  # (pip's stderr is filtered of one harmless warning about unreachable extra indexes)
  "$new/bin/pip" install -q "${spec}[ui]" 2> >(grep -v "^WARNING: Location" >&2)
  [ -z "$PACKAGE" ] && rm -rf "$spec"
  "$new/bin/lawshelf" --help >/dev/null || die "the installed lawshelf does not run"
  switch_env "venvs/$stamp"
  install -m 0755 "$HERE/files/lawshelf-wrapper" /usr/local/bin/lawshelf
  install -m 0755 "$HERE/files/lawshelf-watchdog" "$PREFIX/bin/lawshelf-watchdog"
  install -m 0755 "$HERE/files/lawshelf-screen" "$PREFIX/bin/lawshelf-screen"
  install -m 0755 "$HERE/files/lawshelf-usb-mount" "$PREFIX/bin/lawshelf-usb-mount"
  install -m 0755 "$HERE/files/lawshelf-app-guard" "$PREFIX/bin/lawshelf-app-guard"
  install_demo_content
  if [ -d "$SRC/docs" ]; then cp -r "$SRC/docs/." "$PREFIX/docs/"; fi
}

# The ward or commune name: --ward, else asked for on a terminal, else none (screens and
# reports then show no ward name rather than a placeholder).
ask_ward() {
  if [ "$WARD_GIVEN" -eq 1 ]; then return 0; fi
  if [ -t 0 ]; then
    read -r -p "Ward or commune shown on screen and in reports (e.g. Phường Láng): " WARD || WARD=""
  fi
  if [ -z "$WARD" ]; then
    log "no ward name given (--ward): screens and reports show none; set it later with"
    log "  sudo lawshelf settings set ward_name \"Phường ...\""
  fi
}

# A TOML basic string's content: backslashes and quotes escaped, control characters dropped.
toml_text() {
  local v="${1//\\/\\\\}"
  v="${v//\"/\\\"}"
  printf '%s' "$v" | tr -d '\000-\037\177'
}

# Set `key = "value"` in the installed config.toml (the key's line must exist).
set_config() {
  local line
  line="$1 = \"$(toml_text "$2")\""
  KEY="$1" LINE="$line" awk 'index($0, ENVIRON["KEY"] " = ") == 1 { print ENVIRON["LINE"]; next }
    { print }' "$CONF/config.toml" > "$CONF/config.toml.new"
  mv "$CONF/config.toml.new" "$CONF/config.toml"
}

# The pointer switch, as app updates do it (docs/updates.md): venv.previous names the
# environment that ran until now (the guard runs from it; a rollback goes back to it); every
# other environment goes.
switch_env() {
  local target="$1" prev
  prev="$(readlink "$PREFIX/venv" 2>/dev/null || true)"
  if [ -n "$prev" ] && [ "$prev" != "$target" ]; then
    ln -sfn "$prev" "$PREFIX/venv.previous.tmp" && mv -T "$PREFIX/venv.previous.tmp" "$PREFIX/venv.previous"
  fi
  ln -sfn "$target" "$PREFIX/venv.tmp"
  mv -T "$PREFIX/venv.tmp" "$PREFIX/venv"
  prev="$(readlink "$PREFIX/venv.previous" 2>/dev/null || true)"
  local old
  for old in "$PREFIX"/venvs/*; do
    case "venvs/$(basename "$old")" in "$target"|"$prev") ;; *) rm -rf "$old" ;; esac
  done
}

# The demo content is not in the wheel: it lives beside the environments (one copy for every
# app version; offline_index/demo/__init__.py finds it there).
install_demo_content() {
  [ -d "$SRC/offline_index/demo/content" ] || { log "warning: no demo content in $SRC"; return 0; }
  rm -rf "$PREFIX/demo-content.new"
  cp -r "$SRC/offline_index/demo/content" "$PREFIX/demo-content.new"
  rm -rf "$PREFIX/demo-content"
  mv -T "$PREFIX/demo-content.new" "$PREFIX/demo-content"
}

write_config() {
  if [ ! -f "$CONF/config.toml" ]; then
    ask_ward
    install -m 0644 "$HERE/files/config.toml.in" "$CONF/config.toml"
    set_config ward_name "$WARD"
    set_config sync_source "$SYNC_SOURCE"
  else
    [ "$WARD_GIVEN" -eq 0 ] || set_config ward_name "$WARD"
    [ -z "$SYNC_SOURCE" ] || set_config sync_source "$SYNC_SOURCE"
  fi
  install -m 0644 "$HERE/files/kiosk.env" "$CONF/kiosk.env"  # local changes: kiosk.local.env
  chmod 0644 "$CONF/config.toml"
  ln -sfn "$CONF/config.toml" "$DATA/config.toml"
  install -d -m 0750 -o "$USER_NAME" -g "$USER_NAME" "$DATA/sync"
  if [ -n "$TRUSTED_ROOT" ]; then
    install -m 0644 "$TRUSTED_ROOT" "$CONF/trusted_root.json"
  fi
  # The kiosk's copy is only seeded: sync replaces it as the root keys rotate.
  if [ -f "$CONF/trusted_root.json" ] && [ ! -f "$DATA/sync/trusted_root.json" ]; then
    install -m 0640 -o "$USER_NAME" -g "$USER_NAME" "$CONF/trusted_root.json" \
      "$DATA/sync/trusted_root.json"
  fi
  # The app installer step's own trust anchor (root-owned: the kiosk user cannot change it).
  if [ -f "$CONF/trusted_root.json" ] && [ ! -f "$PREFIX/trusted_root.json" ]; then
    install -m 0644 "$CONF/trusted_root.json" "$PREFIX/trusted_root.json"
  fi
}

install_units() {
  local u
  for u in $UNITS; do install -m 0644 "$HERE/systemd/$u" "$UNIT_DIR/$u"; done
  install -m 0644 "$HERE/files/pam-lawshelf-kiosk" /etc/pam.d/lawshelf-kiosk
  install -D -m 0644 "$HERE/files/60-lawshelf-usb.rules" /etc/udev/rules.d/60-lawshelf-usb.rules
  if [ "$LOCKDOWN" -eq 1 ]; then
    install -D -m 0644 "$HERE/files/sysctl-lawshelf.conf" /etc/sysctl.d/60-lawshelf.conf
    install -D -m 0644 "$HERE/files/logind-lawshelf.conf" /etc/systemd/logind.conf.d/60-lawshelf.conf
    install -D -m 0644 "$HERE/files/journald-lawshelf.conf" \
      /etc/systemd/journald.conf.d/60-lawshelf.conf
  fi
  # `systemctl enable` works offline (it only makes symlinks), so also in an image or CI.
  # shellcheck disable=SC2086
  systemctl enable $ENABLE >/dev/null 2>&1 || systemctl --root=/ enable $ENABLE
  systemctl enable systemd-timesyncd.service >/dev/null 2>&1 || true
  install_session_unit
}

# scans-signage: one session on tty1, the touch kiosk or the public screen (--signage).
# The role is kept in $CONF/role, so --upgrade keeps a screen a screen.
install_session_unit() {
  [ -n "$ROLE" ] || ROLE="$(cat "$CONF/role" 2>/dev/null || echo kiosk)"
  case "$ROLE" in kiosk|signage) ;; *) die "unknown role $ROLE in $CONF/role" ;; esac
  echo "$ROLE" > "$CONF/role"
  local on="lawshelf-$ROLE.service" off=lawshelf-kiosk.service
  [ "$ROLE" = kiosk ] && off=lawshelf-signage.service
  systemctl disable "$off" >/dev/null 2>&1 || systemctl --root=/ disable "$off" >/dev/null 2>&1 || true
  systemctl enable "$on" >/dev/null 2>&1 || systemctl --root=/ enable "$on"
  local dropin="$UNIT_DIR/lawshelf-watchdog.service.d"
  if [ "$ROLE" = signage ]; then  # the watchdog restarts the screen's unit instead
    install -d -m 0755 "$dropin"
    printf '[Service]\nEnvironment=LAWSHELF_UNIT=lawshelf-signage.service\n' > "$dropin/signage.conf"
  else
    rm -f "$dropin/signage.conf"
    rmdir "$dropin" 2>/dev/null || true
  fi
  log "session on tty1: $on"
}

# Runs Python as the kiosk user from / (never from the checkout, whose modules would shadow
# the installed ones).
as_kiosk() {
  (cd / && runuser -u "$USER_NAME" -- env LAWSHELF_HOME="$DATA" "$@")
}

first_library() {
  # Build the demo library now so the first boot shows Home at once (sync replaces it).
  as_kiosk "$PREFIX/venv/bin/python" -c 'import os; from pathlib import Path
from offline_index.build import ensure_library
print(ensure_library(Path(os.environ["LAWSHELF_HOME"])))' >/dev/null \
    || log "warning: could not build the demo library; the kiosk will try at start"
  if [ -n "$PIN_FILE" ]; then
    head -n1 "$PIN_FILE" | /usr/local/bin/lawshelf admin set-pin --stdin >/dev/null
  elif ! as_kiosk "$PREFIX/venv/bin/python" -c 'import os, sys; from pathlib import Path
from kiosk.admin import has_pin; from kiosk.state import open_state
sys.exit(0 if has_pin(open_state(Path(os.environ["LAWSHELF_HOME"]))) else 1)'; then
    log "no librarian PIN yet: set one with 'sudo lawshelf admin set-pin'"
  fi
}

start_services() {
  if [ "$START" -eq 0 ] || [ ! -d /run/systemd/system ]; then
    log "services enabled, not started (they start at the next boot)"
    return 0
  fi
  systemctl daemon-reload
  udevadm control --reload >/dev/null 2>&1 || true
  [ "$LOCKDOWN" -eq 1 ] && sysctl -q -p /etc/sysctl.d/60-lawshelf.conf || true
  systemctl restart systemd-journald.service || true
  systemctl start systemd-timesyncd.service || true
  systemctl start lawshelf-sync.timer lawshelf-watchdog.timer lawshelf-screen.timer
  local session="lawshelf-$ROLE.service"
  if [ "$UPGRADE" -eq 1 ]; then systemctl restart "$session";
  else systemctl start "$session"; fi
  log "logind settings (power key, VTs) apply at the next boot"
}

main() {
  parse_args "$@"
  check_system
  install_packages
  if [ "$DEPS_ONLY" -eq 1 ]; then log "done: system packages only (--deps-only)"; return 0; fi
  setup_locale
  create_user
  install_app
  write_config
  install_units
  first_library
  start_services
  log "done: app $PREFIX, config $CONF, data $DATA"
}

# Sourced (tests of single steps), define the functions only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
