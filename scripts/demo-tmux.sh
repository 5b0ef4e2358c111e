#!/usr/bin/env bash
# Drives the built binary's `keywarden demo` in tmux at 80×24 as a user
# would: chooses Binance, reads the simulated key off the guide, pastes the
# key and the secret (each with a trailing newline, through bracketed
# paste), finishes setup and reads the ✓ rows of the health screen. From the
# paste screen on, it checks that no screen — nor the scrollback after the
# program exits — ever shows the secret. (The guide shows the simulated
# values on purpose, as an exchange's web page would.)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "demo-tmux: tmux is required" >&2; exit 1; }

work=$(mktemp -d)
sock="kw-demo-$$"
T() { tmux -L "$sock" "$@"; }
cleanup() { T kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/keywarden" .

screen() { T capture-pane -p -J -t S; }
all_screens() { T capture-pane -p -J -S - -t S; }
fail() { echo "demo-tmux: $*" >&2; echo "----- screen -----" >&2; screen >&2; exit 1; }
wait_for() { # wait_for TEXT [tries]
  for _ in $(seq 1 "${2:-100}"); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "timed out waiting for: $1"
}
wait_count() { # wait_count TEXT N: until TEXT is on N lines
  for _ in $(seq 1 100); do
    [ "$(screen | grep -cF -- "$1")" -ge "$2" ] && return 0
    sleep 0.1
  done
  fail "timed out waiting for $2 lines with: $1"
}
paste() { printf '%s\n' "$1" | T load-buffer -b pb -; T paste-buffer -p -d -b pb -t S; }
no_secret() { if all_screens | grep -qF -- "$secret"; then fail "the secret is on the screen ($1)"; fi; }

T -f /dev/null new-session -d -s S -x 80 -y 24 -e ACCESSIBLE= -e NO_COLOR= -e HOME="$work" \
  "\"$work/keywarden\" demo; echo \$? > \"$work/status\""
T set-option -t S remain-on-exit on >/dev/null

wait_for "Which exchange will the bot trade on?"
T send-keys -t S Enter                       # Binance
wait_for "Where does the bot trade?";        T send-keys -t S Enter   # live
wait_for "Which markets will the bot trade?"; T send-keys -t S Enter  # spot
wait_for "Where will the bot run?";          T send-keys -t S Enter   # this machine
wait_for "Create a Binance API key for your bot"
for _ in 1 2 3; do T send-keys -t S PageDown; sleep 0.1; done
wait_for "Secret Key: "
key=$(screen | sed -n 's/.*API Key: \([A-Za-z0-9]*\).*/\1/p' | head -1)
secret=$(screen | sed -n 's/.*Secret Key: \([A-Za-z0-9]*\).*/\1/p' | head -1)
[ ${#key} -eq 64 ] && [ ${#secret} -eq 64 ] || fail "could not read the simulated key (${#key}/${#secret} characters)"
T clear-history -t S   # from here on, the secret must never be drawn

T send-keys -t S Enter
wait_for "Paste the key"
paste "$key"
T send-keys -t S Tab
paste "$secret"                              # with a trailing newline
wait_count "64 characters" 2
wait_count "removed from the paste: line breaks at the start or end" 2
no_secret "credentials screen"
screen | grep -qF "${key:0:4}…${key: -4}" || fail "the key's fingerprint is not shown"
T send-keys -t S Enter
wait_for "Name this key in keywarden"
T send-keys -t S Enter
wait_for "10 passed" 150
rows=$(screen | grep -c '^ ✓ ')
[ "$rows" -eq 10 ] || fail "expected 10 ✓ rows on the health screen, saw $rows"
no_secret "health screen"
T send-keys -t S q
for _ in $(seq 1 300); do [ -s "$work/status" ] && break; sleep 0.1; done
[ -s "$work/status" ] || fail "keywarden demo did not exit within 30 s of q"
status=$(cat "$work/status")
no_secret "after exit"
all_screens | grep -qF "That was the demo" || fail "the demo did not say goodbye"
[ "$status" = 0 ] || fail "keywarden demo exited with $status"
echo "demo-tmux: ok — 10 ✓ rows, the secret never on screen, exit 0"
