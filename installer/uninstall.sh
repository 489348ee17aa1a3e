#!/usr/bin/env bash
# Remove the LawShelf kiosk installed by install.sh.
#
# Kept (documented in docs/installer.md): the data /var/lib/lawshelf (library, kiosk state
# with contest entries, outbox and usage counts, the kiosk's keys) and /etc/lawshelf
# (trusted root metadata and the configuration), so a reinstall picks up where it stopped.
# System packages are left installed: other software may use them.
#
#   sudo bash installer/uninstall.sh            # keep data and keys
#   sudo bash installer/uninstall.sh --purge    # also delete data, keys and config
set -euo pipefail

PREFIX=/opt/lawshelf
CONF=/etc/lawshelf
DATA=/var/lib/lawshelf
UNIT_DIR=/etc/systemd/system
USER_NAME=lawshelf
PURGE=0
UNITS="lawshelf-kiosk.service lawshelf-sync.service lawshelf-sync.timer lawshelf-watchdog.service
lawshelf-watchdog.timer lawshelf-screen.service lawshelf-screen.timer lawshelf-app.path lawshelf-app.service
lawshelf-signage.service"

case "${1:-}" in
  --purge) PURGE=1 ;;
  "") ;;
  *) echo "usage: $0 [--purge]" >&2; exit 64 ;;
esac
[ "$(id -u)" -eq 0 ] || { echo "uninstall.sh: run as root" >&2; exit 1; }

if [ -d /run/systemd/system ]; then
  # shellcheck disable=SC2086
  systemctl stop $UNITS >/dev/null 2>&1 || true
fi
# shellcheck disable=SC2086
systemctl disable $UNITS >/dev/null 2>&1 || systemctl --root=/ disable $UNITS >/dev/null 2>&1 || true
for u in $UNITS; do
  rm -f "$UNIT_DIR/$u"
  rm -rf "$UNIT_DIR/$u.d"
done
rm -f /etc/pam.d/lawshelf-kiosk /etc/sysctl.d/60-lawshelf.conf /etc/udev/rules.d/60-lawshelf-usb.rules \
  /etc/systemd/logind.conf.d/60-lawshelf.conf /etc/systemd/journald.conf.d/60-lawshelf.conf
rmdir /etc/systemd/logind.conf.d /etc/systemd/journald.conf.d 2>/dev/null || true
rm -f /usr/local/bin/lawshelf /run/lawshelf-screen.state /run/lawshelf-*.brightness
rm -rf "$PREFIX"
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload || true
  sysctl -q kernel.sysrq=16 2>/dev/null || true  # Debian's default
fi
# The user goes; its files keep their numeric owner and install.sh re-owns them.
if id "$USER_NAME" >/dev/null 2>&1; then
  userdel "$USER_NAME" >/dev/null 2>&1 || echo "uninstall.sh: could not remove user $USER_NAME (logged in?)" >&2
fi
if [ "$PURGE" -eq 1 ]; then
  rm -rf "$DATA" "$CONF"
  echo "uninstall.sh: removed everything, data and keys included"
else
  echo "uninstall.sh: removed; kept data $DATA and keys/config $CONF"
fi
