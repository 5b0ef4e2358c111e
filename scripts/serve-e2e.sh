#!/usr/bin/env bash
# keywarden serve end to end, with the real Prometheus and Alertmanager
# (Debian's prometheus and prometheus-alertmanager packages):
#
#   three simulated exchanges (binance, okx, bybit) ─ keywarden serve ─ Prometheus
#   (scraping it with deploy/prometheus/keywarden.rules.yml) ─ Alertmanager ─ a
#   local webhook receiver, which also gets keywarden's own signed alerts.
#
# It flips the Binance key into a failure (the simulator restarted on the same
# address with withdrawals switched on), asserts through Prometheus's query API
# that the failing series and the firing alert are there, that the receiver got
# the alert from Alertmanager and keywarden's own, then recovers the key and
# asserts the resolution. Everything listens on 127.0.0.1; every wait is
# bounded; the whole run takes about a minute. What it saw is left in $E2E_OUT
# (default: a temp folder), for the record.
set -euo pipefail
cd "$(dirname "$0")/.."

for bin in prometheus prometheus-alertmanager curl; do
  command -v "$bin" >/dev/null || { echo "serve-e2e: $bin is missing (apt-get install prometheus prometheus-alertmanager curl)"; exit 1; }
done

W=$(mktemp -d)
OUT=${E2E_OUT:-$W/out}
mkdir -p "$OUT"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "${E2E_KEEP:-}" ] || rm -rf "$W/kw" "$W/prom" "$W/am"
}
trap cleanup EXIT
start() { "$@" & pids+=($!); }

P_SIM=(19401 19402 19403) P_SERVE=19489 P_PROM=19490 P_AM=19493 P_RECV=19495
EX=(binance okx bybit) NAME=(bn ok by)
KW=$W/keywarden
echo "== serve-e2e: building keywarden and the receiver"
go build -o "$KW" .
go build -o "$W/receiver" ./scripts/e2e-receiver

export KEYWARDEN_DIR=$W/kw KEYWARDEN_NTP_SERVER=off
printf 'e2e passphrase 0123\n' > "$W/passphrase"; chmod 600 "$W/passphrase"
export KEYWARDEN_PASSPHRASE_FILE=$W/passphrase
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$W/token"; chmod 600 "$W/token"
export KEYWARDEN_ALERT_SECRET=e2e-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')

# wait_for DESC SECONDS CMD...: run CMD until it succeeds, at most SECONDS.
wait_for() {
  local desc=$1 secs=$2; shift 2
  local end=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $end ]; then echo "serve-e2e: FAILED: no $desc within ${secs}s"; tail -n 30 "$OUT/serve.log" || true; exit 1; fi
    sleep 0.5
  done
  echo "   ok: $desc"
}

# A fresh key in each exchange's own format, from the simulator itself.
for i in 0 1 2; do
  "$KW" sim --exchange "${EX[$i]}" --addr 127.0.0.1:0 > "$W/sample-$i.txt" 2>&1 & sp=$!
  wait_for "a sample ${EX[$i]} key" 10 grep -q '^  {"key"' "$W/sample-$i.txt"
  kill "$sp"; wait "$sp" 2>/dev/null || true
  grep '^  {"key"' "$W/sample-$i.txt" | sed 's/^  //' > "$W/key-$i.json"
done

# scenario I PERMISSIONS: the key of exchange I, whitelisted for the IP the
# simulators pretend to see.
scenario() {
  local inner; inner=$(sed 's/^{//; s/}$//' "$W/key-$1.json")
  printf '{"exchange": "%s", "keys": [{%s, "permissions": [%s], "ips": ["203.0.113.10"]}]}\n' "${EX[$1]}" "$inner" "$2"
}
for i in 0 1 2; do scenario $i '"read", "spot"' > "$W/good-$i.json"; done
scenario 0 '"read", "spot", "withdraw"' > "$W/withdraw-0.json"

sim_pid=()
run_sim() { # I SCENARIO
  start "$KW" sim --scenario "$2" --addr "127.0.0.1:${P_SIM[$1]}" >> "$OUT/sim-$1.log" 2>&1
  sim_pid[$1]=${pids[-1]}
  wait_for "simulated ${EX[$1]} on 127.0.0.1:${P_SIM[$1]} ($(basename "$2"))" 10 curl -sf "http://127.0.0.1:${P_SIM[$1]}/_sim/ip"
}
echo "== three simulated exchanges, their keys in the keyring"
for i in 0 1 2; do
  run_sim $i "$W/good-$i.json"
  "$KW" add "${NAME[$i]}" --exchange "${EX[$i]}" --base-url "http://127.0.0.1:${P_SIM[$i]}" --bot-ip 203.0.113.10 < "$W/key-$i.json"
done

echo "== the webhook receiver, Alertmanager, Prometheus"
start "$W/receiver" -addr 127.0.0.1:$P_RECV -out "$OUT/received.jsonl"
cat > "$W/alertmanager.yml" <<EOF
route:
  receiver: e2e
  group_by: [alertname, profile]
  group_wait: 1s
  group_interval: 2s
  repeat_interval: 1h
receivers:
  - name: e2e
    webhook_configs:
      - url: http://127.0.0.1:$P_RECV/alertmanager
        send_resolved: true
EOF
start prometheus-alertmanager --config.file="$W/alertmanager.yml" --storage.path="$W/am" \
  --web.listen-address=127.0.0.1:$P_AM --cluster.listen-address= > "$OUT/alertmanager.log" 2>&1
# The shipped rules, with their "for:" shortened so the test runs in seconds.
sed -E 's/^( *)for: .*/\1for: 2s/' deploy/prometheus/keywarden.rules.yml > "$W/rules.yml"
cat > "$W/prometheus.yml" <<EOF
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{targets: ["127.0.0.1:$P_AM"]}]
scrape_configs:
  - job_name: keywarden
    authorization: {credentials_file: $W/token}
    static_configs: [{targets: ["127.0.0.1:$P_SERVE"]}]
EOF
start prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/prom" \
  --web.listen-address=127.0.0.1:$P_PROM > "$OUT/prometheus.log" 2>&1
wait_for "Alertmanager ready" 30 curl -sf http://127.0.0.1:$P_AM/-/ready
wait_for "Prometheus ready" 60 curl -sf http://127.0.0.1:$P_PROM/-/ready

echo "== keywarden serve"
start "$KW" serve --all --interval 10s --listen 127.0.0.1:$P_SERVE --token-file "$W/token" \
  --ip-echo-url "http://127.0.0.1:${P_SIM[0]}/_sim/ip" --alert "webhook=http://127.0.0.1:$P_RECV/keywarden" > "$OUT/serve.log" 2>&1
serve_pid=${pids[-1]}
auth=(-H "Authorization: Bearer $(cat "$W/token")")
wait_for "serve ready (first round done)" 30 curl -sf "${auth[@]}" http://127.0.0.1:$P_SERVE/readyz
curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$P_SERVE/metrics | grep -q 401 || { echo "serve-e2e: FAILED: /metrics answered without the token"; exit 1; }

# q NAME PROMQL: query Prometheus, keep the answer as $OUT/query-NAME.json,
# succeed when the result is not empty.
q() {
  curl -sf "http://127.0.0.1:$P_PROM/api/v1/query" --data-urlencode "query=$2" > "$OUT/query-$1.json" &&
    grep -q '"status":"success"' "$OUT/query-$1.json" && ! grep -q '"result":\[\]' "$OUT/query-$1.json"
}
received() { grep -F "\"path\":\"$1\"" "$OUT/received.jsonl" 2>/dev/null | grep -F -- "$2" | grep -qF -- "${3:-}"; }

wait_for "Prometheus scraping every profile, all passing" 60 \
  q healthy 'count(keywarden_check_success == 1) == 3'
curl -sf "${auth[@]}" http://127.0.0.1:$P_SERVE/metrics > "$OUT/metrics-healthy.txt"

echo "== flip: Binance restarted on the same address with withdrawals switched on"
kill "${sim_pid[0]}"; wait "${sim_pid[0]}" 2>/dev/null || true
run_sim 0 "$W/withdraw-0.json"
wait_for "the failing series in Prometheus" 60 \
  q failing 'keywarden_check_status{profile="bn",check="withdraw_disabled",status="fail"} == 1'
wait_for "the cause code in Prometheus" 30 \
  q cause 'keywarden_check_cause_info{profile="bn",check="withdraw_disabled",cause="withdrawals_on"}'
wait_for "KeywardenCheckFailing firing in Prometheus" 60 \
  q alert 'ALERTS{alertname="KeywardenCheckFailing",alertstate="firing",profile="bn",cause="withdrawals_on"}'
wait_for "the alert from Alertmanager at the receiver" 60 \
  received /alertmanager '"status":"firing"' KeywardenCheckFailing
wait_for "keywarden's own signed alert at the receiver" 30 \
  received /keywarden '"signature":"ok"' '"cause":"withdrawals_on"'
curl -sf "${auth[@]}" http://127.0.0.1:$P_SERVE/metrics > "$OUT/metrics-failing.txt"
curl -sf "${auth[@]}" http://127.0.0.1:$P_SERVE/api/v1/status > "$OUT/status-failing.json"

echo "== recover: Binance restarted with the withdrawal permission off"
kill "${sim_pid[0]}"; wait "${sim_pid[0]}" 2>/dev/null || true
run_sim 0 "$W/good-0.json"
wait_for "bn passing again in Prometheus" 60 q recovered 'keywarden_check_success{profile="bn"} == 1'
wait_for "the resolution from Alertmanager at the receiver" 90 \
  received /alertmanager '"status":"resolved"' KeywardenCheckFailing
wait_for "keywarden's own recovery message" 30 received /keywarden '"state":"resolved"' '"signature":"ok"'

echo "== SIGTERM: serve exits 0"
kill -TERM "$serve_pid"
t0=$SECONDS
wait "$serve_pid" || { echo "serve-e2e: FAILED: serve exited $? after SIGTERM"; exit 1; }
echo "   ok: exit 0 after $((SECONDS - t0))s"
checked=$("$KW" history bn --json | grep -c '"event": "checked"' || true)
[ "$checked" -ge 3 ] && [ "$checked" -le 5 ] || { echo "serve-e2e: FAILED: $checked checked events for bn: one per change expected (healthy, failing, recovered)"; exit 1; }
echo "   ok: history has $checked checked events for bn (one per change, not one per round)"
if grep -qF -f <(sed -n 's/.*"secret":"\([^"]*\)".*/\1/p' "$W"/key-*.json) "$OUT"/*; then
  echo "serve-e2e: FAILED: a secret in the output"; exit 1
fi
echo "== serve-e2e passed (what it saw: $OUT)"
