#!/usr/bin/env bash
# `keywarden --backend os` against a real Secret Service: GNOME Keyring in a
# private D-Bus session (dbus-run-session), its login keyring unlocked with
# a test password read on stdin. Through the built binary: add, list, check
# against the simulator, exec, doctor, rotate, remove — and the secret is
# looked up in the keychain itself (secret-tool), never found on disk.
#
# Nothing here touches the user's own session: HOME, XDG dirs and the bus
# are throwaway, and every server binds 127.0.0.1. Needs gnome-keyring,
# dbus-daemon (dbus-run-session), dbus-bin and libsecret-tools; installs them with apt-get
# when missing and allowed (KW_OS_INSTALL=1, as CI sets).
#
# The keyring collection: keywarden files its items in a collection named
# "keywarden", which GNOME Keyring creates (and later unlocks) only after
# asking for its password through gcr's graphical system prompter; a
# headless machine has none. scripts/fakeprompter takes that prompter's
# D-Bus name in the private session and answers with the test password,
# so the real path runs: the first add creates the collection encrypted
# under that password; after the daemon restarts, the next read unlocks it.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "os-keychain: $*" >&2; }

if [ -z "${KW_OS_INNER:-}" ]; then
  missing=()
  # dbus-x11 satisfies gnome-keyring's session-bus dependency without
  # pulling in systemd's user session.
  command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring dbus-x11)
  command -v dbus-run-session >/dev/null || missing+=(dbus-daemon)
  command -v dbus-send >/dev/null || missing+=(dbus-bin)
  command -v secret-tool >/dev/null || missing+=(libsecret-tools)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "${KW_OS_INSTALL:-}" != 1 ]; then
      say "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or set KW_OS_INSTALL=1"
      exit 1
    fi
    say "installing ${missing[*]}"
    apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  go build -o "$work/keywarden" .
  go build -o "$work/fakeprompter" ./scripts/fakeprompter
  # One bounded private session bus; the daemons die with it.
  KW_OS_INNER=1 KW_OS_WORK="$work" timeout --kill-after=10 240 dbus-run-session -- "$0" && rc=0 || rc=$?
  if [ "$rc" = 124 ]; then say "FAILED: timed out after 240 s"; fi
  exit "$rc"
fi

# ---- inside the private session bus ----
work=$KW_OS_WORK
kw="$work/keywarden"
export HOME="$work/home" XDG_DATA_HOME="$work/home/.local/share" XDG_CONFIG_HOME="$work/home/.config"
export XDG_RUNTIME_DIR="$work/run" KEYWARDEN_DIR="$work/kw" KEYWARDEN_BACKEND=os
unset KEYWARDEN_PASSPHRASE KEYWARDEN_PASSPHRASE_FILE
mkdir -p "$XDG_DATA_HOME/keyrings" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR" "$HOME"
log="$work/log"
: >"$log"

fail() {
  say "FAILED: $*"
  echo "----- last command's output -----" >&2
  cat "$work/out" "$work/err" >&2 2>/dev/null || true
  echo "----- daemon, simulator and prompter log -----" >&2
  tail -n 40 "$log" "$work/prompter.log" >&2 2>/dev/null || true
  exit 1
}
# run NAME CMD...: runs a bounded command, output kept for fail().
run() {
  local name=$1
  shift
  if ! timeout 30 "$@" >"$work/out" 2>"$work/err" <"${STDIN:-/dev/null}"; then
    fail "$name exited $? : $*"
  fi
}
expect_out() { grep -qF -- "$1" "$work/out" || fail "$2: output lacks \"$1\""; }

# The system prompter, answering with the test password (see the header).
password="keywarden-ci-test-password"
start_prompter() {
  printf '%s\n' "$password" | "$work/fakeprompter" >"$work/prompter.out" 2>>"$work/prompter.log" &
  prompter_pid=$!
  for _ in $(seq 1 100); do grep -q '^ready' "$work/prompter.out" 2>/dev/null && return 0; sleep 0.1; done
  fail "the fake prompter did not start: $(cat "$work/prompter.log")"
}
sim_pid="" prompter_pid=""
trap 'kill $sim_pid $prompter_pid 2>/dev/null || true' EXIT
: >"$work/prompter.log"
start_prompter

# The login keyring, created and unlocked with the test password on stdin.
printf '%s' "$password" |
  timeout 20 gnome-keyring-daemon --unlock --components=secrets >>"$log" 2>&1 ||
  fail "gnome-keyring-daemon --unlock"
timeout 20 gnome-keyring-daemon --start --components=secrets >>"$log" 2>&1 || fail "gnome-keyring-daemon --start"
for _ in $(seq 1 100); do
  if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
    break
  fi
  sleep 0.1
done
# The unlock worked: the default (login) collection takes and gives back a
# value without any prompt.
printf 'probe-value' | timeout 10 secret-tool store --label=probe kwprobe 1 || fail "secret-tool store in the login keyring"
[ "$(timeout 10 secret-tool lookup kwprobe 1)" = probe-value ] || fail "secret-tool lookup in the login keyring"
say "GNOME Keyring is up on the private bus, login keyring unlocked with the test password"

# A simulator that knows two Binance keys (the second for the rotation).
alnum() { tr -dc 'A-Za-z0-9' </dev/urandom | head -c 64 || true; }
key1=$(alnum) secret1=$(alnum) key2=$(alnum) secret2=$(alnum)
cat >"$work/scenario.json" <<EOF
{"exchange": "binance", "environment": "live", "client_ip": "203.0.113.10", "keys": [
  {"key": "$key1", "secret": "$secret1", "permissions": ["read", "spot"], "ips": ["203.0.113.10"], "balances": {"USDT": "100"}},
  {"key": "$key2", "secret": "$secret2", "permissions": ["read", "spot"], "ips": ["203.0.113.10"], "balances": {"USDT": "100"}}]}
EOF
"$kw" sim --scenario "$work/scenario.json" >"$work/sim.out" 2>>"$log" &
sim_pid=$!
for _ in $(seq 1 100); do grep -q "^NTP" "$work/sim.out" 2>/dev/null && break; sleep 0.1; done
url=$(sed -n 's/^Simulating .* at \(http:[^ ]*\)$/\1/p' "$work/sim.out")
ntp=$(sed -n 's/^NTP with the scenario.s clock: \([^ ]*\) .*/\1/p' "$work/sim.out")
[ -n "$url" ] && [ -n "$ntp" ] || fail "the simulator did not start: $(cat "$work/sim.out")"
export KEYWARDEN_NTP_SERVER="$ntp" KEYWARDEN_IP_ECHO_URL="$url/_sim/ip"

printf '{"key":"%s","secret":"%s"}' "$key1" "$secret1" >"$work/key1.json"
printf '{"key":"%s","secret":"%s"}' "$key2" "$secret2" >"$work/key2.json"
chmod 600 "$work"/key*.json

STDIN="$work/key1.json" run add "$kw" add main --exchange binance --base-url "$url" --markets spot
expect_out "Added main" add
[ -z "$(ls "$KEYWARDEN_DIR" | grep -v -e '^profiles.json$' -e '^lock$' -e '^history.jsonl$')" ] ||
  fail "the os backend left keyring files in $KEYWARDEN_DIR: $(ls "$KEYWARDEN_DIR")"
if grep -rqF -- "$secret1" "$KEYWARDEN_DIR" "$XDG_DATA_HOME/keyrings/login.keyring"; then
  fail "the secret is in a file it must not be in"
fi
timeout 10 secret-tool search --all profile main >"$work/out" 2>"$work/err" || fail "secret-tool search"
expect_out "label = main" "the item in the keychain"
grep -qF 'password prompt "Choose password for new keyring"' "$work/prompter.log" ||
  fail "GNOME Keyring did not ask for the new collection's password: $(cat "$work/prompter.log")"
collection="$XDG_DATA_HOME/keyrings/keywarden.keyring"
[ "$(head -c 12 "$collection" 2>/dev/null)" = GnomeKeyring ] || fail "the keywarden collection is not GNOME Keyring's encrypted format"
say "add: the secret is in the new, encrypted Secret Service collection \"keywarden\", not in $KEYWARDEN_DIR"

# A restarted daemon loads the collection locked: the next read must
# unlock it through the prompter.
timeout 20 gnome-keyring-daemon --replace --components=secrets >>"$log" 2>&1 || fail "gnome-keyring-daemon --replace"
for _ in $(seq 1 100); do
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true" && break
  sleep 0.1
done
EXPECT="$key1" run "exec on a locked collection" "$kw" exec main -- sh -c '[ "$EXCHANGE_API_KEY" = "$EXPECT" ]'
grep -qF 'password prompt "Authentication required"' "$work/prompter.log" ||
  fail "the locked collection was read without an unlock prompt: $(cat "$work/prompter.log")"
say "after a daemon restart: the locked collection was unlocked through its prompt, with the test password"

run list "$kw" list
expect_out "main" list
auth_passed() { tr -d ' \n' <"$work/out" | grep -qF '"id":"auth","status":"pass"'; }
run check "$kw" check main --json
auth_passed || fail "check: auth did not pass"
say "check against the simulator: auth passed with the key read from the keychain"

EXPECT="$key1" run exec "$kw" exec main -- sh -c '[ "$EXCHANGE_API_KEY" = "$EXPECT" ] && [ -n "$EXCHANGE_API_SECRET" ]'
run doctor "$kw" doctor
expect_out "profiles.json: 1 profile" doctor

STDIN="$work/key2.json" run rotate "$kw" rotate main
EXPECT="$key2" run "exec after rotate" "$kw" exec main -- sh -c '[ "$EXCHANGE_API_KEY" = "$EXPECT" ]'
run "check after rotate" "$kw" check main --json
auth_passed || fail "check after rotate: auth did not pass"
timeout 10 secret-tool search --all profile main >"$work/out" 2>"$work/err" || fail "secret-tool search after rotate"
[ "$(grep -c '^label = main' "$work/out")" = 1 ] || fail "rotate left $(grep -c '^label = main' "$work/out") items for main"
say "rotate: one item for main, holding the new key"

run remove "$kw" remove main --yes
expect_out "Removed main" remove
timeout 10 secret-tool search --all profile main >"$work/out" 2>&1 || true
if grep -q '^label = main' "$work/out"; then fail "remove left the item in the keychain"; fi
run "list after remove" "$kw" list
if grep -q '^main ' "$work/out"; then fail "remove left the profile"; fi
say "remove: the item is gone from the keychain and the profile from the list"

# Without a session bus the D-Bus guard still answers at once with a clear
# error, and nothing starts dbus-launch (a fake one records any call).
mkdir -p "$work/fakebin"
printf '#!/bin/sh\necho called >>"%s"\nexit 1\n' "$work/dbus-launch.calls" >"$work/fakebin/dbus-launch"
chmod +x "$work/fakebin/dbus-launch"
if [ -S "/run/user/$(id -u)/bus" ]; then
  say "skipped the no-bus probe: /run/user/$(id -u)/bus exists, the guard would use it"
else
  if env -u DBUS_SESSION_BUS_ADDRESS -u KEYWARDEN_DBUSGUARD_SET PATH="$work/fakebin:$PATH" \
    timeout 10 "$kw" --backend os doctor >"$work/out" 2>"$work/err"; then
    fail "doctor --backend os without a session bus succeeded"
  fi
  grep -qF "no system keychain" "$work/err" || fail "without a session bus: no clear error"
  [ ! -e "$work/dbus-launch.calls" ] || fail "dbus-launch was started without a session bus"
  say "without a session bus: \"no system keychain found\" at once, and no dbus-launch"
fi
say "passed"
