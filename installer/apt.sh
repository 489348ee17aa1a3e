# shellcheck shell=bash
# apt_get: apt-get that waits (bounded) for another package manager to finish.
#
# Sourced by dev.sh and install.sh. On a fresh Ubuntu box unattended-upgrades often holds the
# dpkg lock for minutes after boot; apt-get then fails at once ("Could not get lock
# /var/lib/dpkg/lock-frontend"). apt can wait by itself only for the dpkg lock, silently
# (DPkg::Lock::Timeout), and never for the package lists lock that `apt-get update` takes,
# so apt_get says once that it waits, retries an attempt that failed on a lock every 2 s
# until LAWSHELF_APT_WAIT seconds (default 600) have passed, then says who holds it.
# Other failures are returned at once.
# Runs apt-get non-interactively, through $SUDO when the caller sets it.

apt_get() {
  local wait="${LAWSHELF_APT_WAIT:-600}" start rc err said=0
  local lock_error="Could not get lock|Unable to (acquire|lock)"
  start="$(date +%s)"
  err="$(mktemp)"
  while :; do
    rc=0
    ${SUDO:-} env DEBIAN_FRONTEND=noninteractive apt-get "$@" 2>"$err" || rc=$?
    if [ "$rc" -eq 0 ] || ! grep -qE "$lock_error" "$err"; then
      cat "$err" >&2
      rm -f "$err"
      return "$rc"
    fi
    if [ "$(date +%s)" -ge $((start + wait)) ]; then
      echo "error: another package manager still holds the apt/dpkg lock after waiting" \
        "${wait}s: $(grep -m1 -E "$lock_error" "$err")" >&2
      echo "error: let it finish (unattended upgrades can take a while after boot) and run" \
        "this again, or wait longer with LAWSHELF_APT_WAIT=SECONDS" >&2
      rm -f "$err"
      return "$rc"
    fi
    if [ "$said" -eq 0 ]; then
      echo "waiting up to ${wait}s for another package manager to finish:" \
        "$(grep -m1 -E "$lock_error" "$err")" >&2
      said=1
    fi
    sleep 2
  done
}
