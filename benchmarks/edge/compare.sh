#!/usr/bin/env bash
# Gateway builds or settings side by side: every variant runs at once (one JVM each, all pinned to the same core),
# and the rounds go through them in turn, so drift and other load hit every variant alike. For each variant and
# case, the gateway's CPU µs per request (without its JIT threads) and requests/s, medians over the rounds.
# What it is for: "does this setting or this build cost anything on the proxy hop?", where separate runs of
# run.sh differ by more than the effect (±5-10 µs from one JVM start to the next on this machine).
#
#   benchmarks/edge/compare.sh 'label|jar|spring arguments|JVM options' ...
#   benchmarks/edge/compare.sh "before|old.jar||" "now|new.jar||" "no-obs|new.jar|--management.observations.enable.all=false|"
#
# Settings (environment): CASES ("public": any of public, padded, guarded; padded = the public route with a header
# exactly as long as the guarded route's Authorization header), ROUNDS (5), DURATION (8), JIT_WARMUP (25: seconds
# per variant and case, twice, before the first round), CONNECTIONS (32), JAVA_OPTS, KEEP=1. HS256, Redis store.
set -euo pipefail
EDGE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EDGE_DIR/../.." && pwd)
export EDGE_DIR
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"

CASES=${CASES:-public} ROUNDS=${ROUNDS:-5} DURATION=${DURATION:-8} WARMUP=2 JIT_WARMUP=${JIT_WARMUP:-25}
CONNECTIONS=${CONNECTIONS:-32}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m -XX:ActiveProcessorCount=1"}
edge_require java wrk nginx redis-server redis-cli curl jq openssl python3 taskset
[ $# -ge 1 ] || { sed -n '2,14p' "$0" >&2; exit 2; }

WORK=$(mktemp -d /tmp/edge-compare.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
RESULTS=$WORK/results.tsv
GATEWAY_CPU=$(( $(nproc) - 1 )) WRK_CPU=0
openssl rand -base64 32 > "$WORK/hs256.secret"
NGINX_PORT=$(free_port) REDIS_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WRK_CPU"
start_redis "$REDIS_PORT"

declare -A PID URL AUTH
LABELS=()
for spec in "$@"; do
  IFS='|' read -r label jar args jvm <<< "$spec"
  [ -f "$jar" ] || { echo "$label: no jar $jar" >&2; exit 2; }
  LABELS+=("$label")
  port=$(free_port)
  write_tollgate_config "$WORK/$label.yml" HS256 "$port" "$(free_port)" "$NGINX_PORT" "$REDIS_PORT"
  # shellcheck disable=SC2086 # option lists
  java $JAVA_OPTS ${jvm:-} -jar "$jar" --spring.config.additional-location="file:$WORK/$label.yml" ${args:-} \
    > "$WORK/$label.log" 2>&1 &
  PID[$label]=$!
  EDGE_PIDS+=("$!")
  wait_http "http://127.0.0.1:$port/public/ready" 200 180 "$!" "$WORK/$label.log"
  taskset -a -p -c "$GATEWAY_CPU" "${PID[$label]}" > /dev/null
  token=$(login "$port")
  [ -n "$token" ] || { echo "$label: login failed; see $WORK/$label.log" >&2; exit 1; }
  URL[$label]=http://127.0.0.1:$port
  AUTH[$label]="Authorization: Bearer $token"
done

# wrk's arguments for one case of one variant
request() {
  local label=$1 case=$2 auth=${AUTH[$1]}
  case "$case" in
    public) echo "${URL[$label]}/public/items" ;;
    padded) printf '%s\n' -H "X-Padding: $(head -c $(( ${#auth} - 11 )) /dev/zero | tr '\0' 'x')" "${URL[$label]}/public/items" ;;
    guarded) printf '%s\n' -H "$auth" "${URL[$label]}/api/items" ;;
    *) echo "unknown case $case" >&2; exit 2 ;;
  esac
}

for label in "${LABELS[@]}"; do
  for _ in 1 2; do
    for case in $CASES; do
      mapfile -t req < <(request "$label" "$case")
      WARMUP=$JIT_WARMUP warm "$CONNECTIONS" 1 "${req[@]}"
    done
  done
done
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  for label in "${LABELS[@]}"; do
    for case in $CASES; do
      mapfile -t req < <(request "$label" "$case")
      warm "$CONNECTIONS" 1 "${req[@]}"
      measure "$label/$case" "${PID[$label]}" "$CONNECTIONS" 1 "${req[@]}"
    done
  done
done

echo "# compare.sh, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $ROUNDS rounds of ${DURATION}s, JIT warm-up 2 x ${JIT_WARMUP}s"
echo
echo "| variant/case | requests/s (median) | CPU µs/request (median) | per round |"
echo "|---|---|---|---|"
python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, rps, p50, p99, cpu, jit, non2xx, errors, requests = line.rstrip("\n").split("\t")
    if int(non2xx) or int(errors):
        sys.exit(f"{label}: {non2xx} non-2xx, {errors} socket errors")
    rows.setdefault(label, []).append((float(rps), float(cpu) - float(jit)))
for label, values in rows.items():
    rps = statistics.median(r for r, _ in values)
    cpu = statistics.median(c for _, c in values)
    print(f"| {label} | {rps:.0f} | {cpu:.1f} | {', '.join(f'{c:.0f}' for _, c in values)} |")
PY
