#!/usr/bin/env bash
# Soak: DURATION seconds (default 600) of mixed traffic at a fixed rate against the gateway jar with a Redis store:
# 90 % API calls, 9 % refreshes, 1 % logout + login (benchmarks/soak/driver.py, open loop, latency measured from
# the moment each operation was due). Once a minute the gateway gets a full GC (jcmd GC.run) and its heap after it
# is read (jcmd GC.heap_info): a leak shows as a rising line. Not part of ./mvnw verify.
#
#   benchmarks/soak/run.sh [gateway jar]   # default gateway-app/target/gateway-app-*.jar
#
# Access tokens live ACCESS_TTL (2 minutes): the gateway keeps, by design, every validated token until it expires
# (bounded by tollgate.access-token.cache.max-size) and every ended session until its last token has expired, so
# its live heap grows for one token lifetime and then stays level. With a short lifetime both reach that level
# within the first minutes of the soak, and what grows after that is a leak.
#
# Prints a markdown table per minute (requests, unexpected statuses, p50/p99/p99.9/max latency, heap after full GC)
# and a verdict: zero unexpected statuses; heap after full GC of no minute from BASE_MINUTE (4: two token
# lifetimes and the skew) on more than 10 % above that minute's (a leak grows; a heap that sheds is reported, not
# failed); p99 of every minute after the first (JIT warm-up) within 2x of the median minute's.
#
# Settings (environment): DURATION (600), RATE (200 operations/s), SESSIONS (64), HEAP (512m), ACCESS_TTL (2m),
# BASE_MINUTE (4), KEEP=1.
# Needs: java 17 (jcmd), python3, nginx, redis-server, redis-cli, curl, jq, openssl.
set -euo pipefail
SOAK_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SOAK_DIR/../.." && pwd)
EDGE_DIR=$ROOT/benchmarks/edge
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"   # edge_cleanup, edge_require, free_port, start_nginx, start_redis, wait_http, write_tollgate_config

DURATION=${DURATION:-600}
RATE=${RATE:-200}
SESSIONS=${SESSIONS:-64}
HEAP=${HEAP:-512m}
ACCESS_TTL=${ACCESS_TTL:-2m}
BASE_MINUTE=${BASE_MINUTE:-4}
JAVA_OPTS="-Xms$HEAP -Xmx$HEAP ${JAVA_OPTS:-}"
edge_require java jcmd python3 nginx redis-server redis-cli curl jq openssl

gateway_jar "${1:-}"

WORK=$(mktemp -d /tmp/soak.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
make_keys

NGINX_PORT=$(free_port) REDIS_PORT=$(free_port) PORT=$(free_port) MPORT=$(free_port)
start_nginx "$NGINX_PORT"
start_redis "$REDIS_PORT"
write_tollgate_config "$WORK/tollgate.yml" HS256 "$PORT" "$MPORT" "$NGINX_PORT" "$REDIS_PORT"
sed -i "s/^    ttl: 2h\$/    ttl: $ACCESS_TTL/" "$WORK/tollgate.yml"
grep -q "ttl: $ACCESS_TTL" "$WORK/tollgate.yml" || { echo "could not set the access-token ttl" >&2; exit 1; }
start_jvm gateway "$JAR" "$WORK/tollgate.yml"
GATEWAY_PID=$JVM_PID
wait_http "http://127.0.0.1:$MPORT/actuator/health/readiness" 200 180 "$GATEWAY_PID" "$WORK/gateway.log"

# heap after a full GC, every minute at :30 (between the driver's minute reports)
(
  sleep 30
  while kill -0 "$GATEWAY_PID" 2>/dev/null; do
    jcmd "$GATEWAY_PID" GC.run > /dev/null 2>&1 || break
    used=$(jcmd "$GATEWAY_PID" GC.heap_info 2>/dev/null | awk '/heap/ && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); print int(v / 1024); exit } }')
    echo "$used" >> "$WORK/heap.txt"
    sleep 60
  done
) &
EDGE_PIDS+=("$!")

echo "soak: ${DURATION}s at ${RATE}/s over $SESSIONS sessions, access tokens $ACCESS_TTL, heap $HEAP, $(nproc) cores, $(uname -r)" >&2
python3 "$SOAK_DIR/driver.py" --port "$PORT" --rate "$RATE" --duration "$DURATION" --sessions "$SESSIONS" \
  > "$WORK/minutes.jsonl" 2> "$WORK/driver.err" || { cat "$WORK/driver.err" >&2; exit 1; }
cat "$WORK/driver.err" >&2
echo "ERROR lines in the gateway log: $(grep -c ERROR "$WORK/gateway.log" || true)" >&2

python3 - "$WORK/minutes.jsonl" "$WORK/heap.txt" "$BASE_MINUTE" <<'PY'
import json, statistics, sys
minutes = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
try:
    heap = [int(line) for line in open(sys.argv[2]) if line.strip()]
except FileNotFoundError:
    heap = []
print("| minute | operations | API / refresh / logout / login | unexpected | p50 ms | p99 ms | p99.9 ms | max ms | heap after full GC (MB) |")
print("|---|---|---|---|---|---|---|---|---|")
for i, m in enumerate(minutes):
    r = m["requests"]
    mix = "/".join(str(r.get(k, 0)) for k in ("api", "refresh", "logout", "login"))
    unexpected = sum(m["unexpected"].values())
    detail = (" " + json.dumps(m["unexpected"])) if unexpected else ""
    h = heap[i] if i < len(heap) else ""
    print(f"| {m['minute']} | {m['total']} | {mix} | {unexpected}{detail} | {m['p50_ms']} | {m['p99_ms']} | {m['p999_ms']} | {m['max_ms']} | {h} |")
total = sum(m["total"] for m in minutes)
unexpected = sum(sum(m["unexpected"].values()) for m in minutes)
steady = [m["p99_ms"] for m in minutes[1:] if m["p99_ms"] is not None and m["total"] > 0]
median = statistics.median(steady) if steady else 0
print()
print(f"- operations: {total}, unexpected statuses: {unexpected}")
base_minute = int(sys.argv[3])
if len(heap) > base_minute:
    base = heap[base_minute - 1]
    drift = max(h - base for h in heap[base_minute - 1:]) / base
    low = min(heap[base_minute - 1:])
    print(f"- heap after full GC: minute {base_minute} {base} MB, last {heap[-1]} MB, highest {drift:+.1%} over minute {base_minute} (limit +10 %), lowest {low} MB")
else:
    drift = 1
    print(f"- heap after full GC: too few samples (run more than {base_minute} minutes)")
if steady:
    print(f"- p99 after minute 1: median {median} ms, min {min(steady)} ms, max {max(steady)} ms (limit: every minute within 2x the median)")
ok = unexpected == 0 and drift <= 0.10 and (not steady or max(steady) <= 2 * median)
print(f"- verdict: {'PASS' if ok else 'FAIL'}")
sys.exit(0 if ok else 1)
PY
