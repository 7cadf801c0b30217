#!/usr/bin/env bash
# Makes sure the Chromium the browser tests drive is installed, and prints its path.
#
#   scripts/chromium.sh ensure    install Debian's chromium if it is missing, then print its path
#
# CHROMIUM_PATH names another Chromium binary; it is never installed for you, only checked.
# Playwright's own browser downloads do not work on these machines (no internet but Debian's
# mirrors and the npm registry), so the tests use Debian's package through playwright-core.
set -euo pipefail

DEBIAN_CHROMIUM=/usr/bin/chromium

say() { printf 'chromium: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "Chromium is missing and installing it needs root: run \`apt-get install -y chromium\` as root"
  fi
}

apt_install() {
  # Waits for another apt run (another worktree's test, say) instead of failing on its lock.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q chromium
}

install_debian_chromium() {
  command -v apt-get >/dev/null 2>&1 || die "no Chromium at $DEBIAN_CHROMIUM and no apt-get to install it (install Chromium, or set CHROMIUM_PATH)"
  say "installing Debian's chromium package (an 80 MB download)"
  # The package lists are only refreshed when needed: an update is slow and most images carry fresh ones.
  if ! apt_install >&2; then
    say "refreshing the package lists and trying again"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -q >&2 || die "apt-get update failed"
    apt_install >&2 || die "apt-get could not install chromium"
  fi
}

ensure() {
  local path=${CHROMIUM_PATH:-$DEBIAN_CHROMIUM}
  if [ ! -x "$path" ]; then
    [ -n "${CHROMIUM_PATH:-}" ] && die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
    install_debian_chromium
    [ -x "$path" ] || die "the chromium package installed, but $path is still missing"
  fi
  # Debian's launcher script prints a harmless shell warning on some machines; only the exit status matters.
  "$path" --version >/dev/null 2>&1 || die "$path is there but does not run (\`$path --version\` failed)"
  printf '%s\n' "$path"
}

case "${1:-ensure}" in
  ensure) ensure ;;
  *) die "usage: $0 ensure" ;;
esac
