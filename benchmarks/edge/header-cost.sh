#!/usr/bin/env bash
# Where the guarded route's extra cost comes from: the check, or the bytes of the token it carries? One Tollgate
# gateway (HS256), interleaved rounds of three cases on the same connection count:
#   public          GET /public/items, no Authorization
#   public+bytes    GET /public/items with an X-Padding header exactly as long as "Authorization: Bearer <token>"
#                   (the request carries the same bytes; nothing checks them; nothing more is forwarded)
#   guarded         GET /api/items with the token (checked from the validated-token cache, identity headers added)
# plus the gateway's CPU µs per request for each. guarded - public+bytes is what the check itself costs.
#
#   benchmarks/edge/header-cost.sh [gateway jar]   # ~4 min; same settings as run.sh (ROUNDS, DURATION, ...)
set -euo pipefail
EDGE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EDGE_DIR/../.." && pwd)
export EDGE_DIR
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"

ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8} WARMUP=${WARMUP:-2} JIT_WARMUP=${JIT_WARMUP:-25}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
edge_require java wrk nginx redis-server redis-cli curl jq openssl python3 taskset

gateway_jar "${1:-}"
WORK=$(mktemp -d /tmp/header-cost.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
cp "$JAR" "$WORK/gateway.jar"
RESULTS=$WORK/results.tsv

CORES=$(nproc)
GATEWAY_CPU=$(( CORES - 1 )) WRK_CPU=0
openssl rand -base64 32 > "$WORK/hs256.secret"
NGINX_PORT=$(free_port) REDIS_PORT=$(free_port) PORT=$(free_port) MPORT=$(free_port)
start_nginx "$NGINX_PORT" "$WRK_CPU"
start_redis "$REDIS_PORT"
write_tollgate_config "$WORK/tollgate.yml" HS256 "$PORT" "$MPORT" "$NGINX_PORT" "$REDIS_PORT"
start_jvm tollgate "$WORK/gateway.jar" "$WORK/tollgate.yml" "-XX:ActiveProcessorCount=1"
PID=$JVM_PID
wait_http "http://127.0.0.1:$PORT/public/ready" 200 180 "$PID" "$WORK/tollgate.log"
taskset -a -p -c "$GATEWAY_CPU" "$PID" > /dev/null
TOKEN=$(login "$PORT")
[ -n "$TOKEN" ] || { echo "login failed; see $WORK/tollgate.log" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"
# "X-Padding: " + filler, as many bytes as the Authorization header line
PADDING="X-Padding: $(head -c $(( ${#AUTH} - 11 )) /dev/zero | tr '\0' 'x')"
[ ${#PADDING} -eq ${#AUTH} ] || { echo "padding length ${#PADDING} != ${#AUTH}" >&2; exit 1; }

GW=http://127.0.0.1:$PORT
for _ in 1 2; do
  WARMUP=$JIT_WARMUP warm "$CONNECTIONS" 1 "$GW/public/items"
  WARMUP=$JIT_WARMUP warm "$CONNECTIONS" 1 -H "$PADDING" "$GW/public/items"
  WARMUP=$JIT_WARMUP warm "$CONNECTIONS" 1 -H "$AUTH" "$GW/api/items"
done
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round" >&2
  warm "$CONNECTIONS" 1 "$GW/public/items"
  measure public "$PID" "$CONNECTIONS" 1 "$GW/public/items"
  warm "$CONNECTIONS" 1 -H "$PADDING" "$GW/public/items"
  measure public+bytes "$PID" "$CONNECTIONS" 1 -H "$PADDING" "$GW/public/items"
  warm "$CONNECTIONS" 1 -H "$AUTH" "$GW/api/items"
  measure guarded "$PID" "$CONNECTIONS" 1 -H "$AUTH" "$GW/api/items"
done

echo "# Header cost: $(basename "$JAR"), HS256, $(date -u '+%Y-%m-%d %H:%M UTC'), $CORES cores, token header ${#AUTH} bytes"
echo
echo "| case | requests/s (median) | CPU µs/request (median) | ratio to public |"
echo "|---|---|---|---|"
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, rps, p50, p99, cpu, jit, non2xx, errors, requests = line.rstrip("\n").split("\t")
    if int(non2xx) or int(errors):
        sys.exit(f"{label}: {non2xx} non-2xx, {errors} socket errors")
    rows.setdefault(label, []).append((float(rps), float(cpu) - float(jit)))
public = statistics.median(r for r, _ in rows["public"])
for label in ("public", "public+bytes", "guarded"):
    rps = statistics.median(r for r, _ in rows[label])
    cpu = statistics.median(c for _, c in rows[label])
    print(f"| {label} | {rps:.0f} | {cpu:.1f} | {rps / public:.2f} |")
PY
