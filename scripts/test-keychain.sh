#!/usr/bin/env bash
# Runs test/keychain against a REAL Secret Service, privately: a fresh D-Bus session bus with its
# own gnome-keyring-daemon, keyring files in a throwaway folder, unlocked with a test password.
# A developer's own keychain is never touched (the tests also refuse to run without
# BURNRATE_KEYCHAIN_TEST=1, which only this script sets).
#
# Needs (Debian/Ubuntu): apt-get install -y --no-install-recommends gnome-keyring dbus
# dbus-daemon may print a harmless "Failed to set fd limit" line.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -s)" != "Linux" ]; then
  echo "test-keychain: the private Secret Service setup is Linux-only; skipped on $(uname -s)." >&2
  exit 0
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "test-keychain: $tool is missing; install it with: apt-get install -y --no-install-recommends gnome-keyring dbus" >&2
    exit 1
  fi
done

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/data" "$scratch/run"
chmod 700 "$scratch/run"
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" BURNRATE_KEYCHAIN_TEST=1

dbus-run-session -- bash -c '
  echo -n test-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec npx vitest run --config vitest.keychain.config.ts "$@"
' test-keychain "$@"
