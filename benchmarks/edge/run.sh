#!/usr/bin/env bash
# End-to-end benchmark of the access check and of refresh, on loopback: wrk, an nginx `return 200` upstream,
# the Tollgate gateway jar under test, and a peer (the same Spring Cloud Gateway with Spring Security's OAuth2
# resource server, benchmarks/peer-gateway), for HS256, RS256, ES256 and EdDSA. Rounds are interleaved, so that
# drift on a shared machine hits every case alike. Prints a markdown report and keeps it (with the raw numbers)
# under benchmarks/edge/target/.
#
#   benchmarks/edge/run.sh [gateway jar]          # default gateway-app/target/gateway-app-*.jar; ~25 min
#   QUICK=1 benchmarks/edge/run.sh [gateway jar]  # one short round, ~2.5 min, for trying changes
#   BEFORE_JAR=old.jar benchmarks/edge/run.sh     # an older build in the same run: its public and guarded routes
#                                                 # in every round, on the same token; ~40 min
#
# The bare gateway (the same jar with tollgate.enabled=false and the same routes) is measured in every round beside
# Tollgate's public route (bare-public) and, with the guarded request's exact Authorization header, beside the guarded
# route (bare-guarded): the report leads with Tollgate's cost against it. PEER=0 leaves the Spring Security peer out.
#
# Settings (environment): ROUNDS, DURATION and WARMUP (seconds per case), JIT_WARMUP (seconds per gateway
# and route, twice, before the first round), CONNECTIONS (32), ALGORITHMS ("HS256 RS256 ES256 EdDSA"),
# REFRESH_ALGORITHMS ("HS256 RS256"), REFRESH_SESSIONS (8), PIN (1: gateways on the last core, wrk and nginx
# on the first), JAVA_OPTS ("-Xms512m -Xmx512m"), PEER_JAR, KEEP=1 (keep the temp dir with logs and configs).
# Needs: java 17, wrk, nginx, redis-server, redis-cli, curl, jq, openssl, python3, taskset.
set -euo pipefail
EDGE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EDGE_DIR/../.." && pwd)
export EDGE_DIR
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"
export BENCH_USER_AGENT

if [ "${QUICK:-0}" = 1 ]; then
  ROUNDS=${ROUNDS:-1} DURATION=${DURATION:-3} WARMUP=${WARMUP:-1} JIT_WARMUP=${JIT_WARMUP:-1}
else
  ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8} WARMUP=${WARMUP:-2} JIT_WARMUP=${JIT_WARMUP:-25}
fi
CONNECTIONS=${CONNECTIONS:-32}
ALGORITHMS=${ALGORITHMS:-"HS256 RS256 ES256 EdDSA"}
REFRESH_ALGORITHMS=${REFRESH_ALGORITHMS:-"HS256 RS256"}
REFRESH_SESSIONS=${REFRESH_SESSIONS:-8}
PIN=${PIN:-1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
PEER_JAR=${PEER_JAR:-$ROOT/benchmarks/peer-gateway/target/peer-gateway.jar}
PEER=${PEER:-1}
BEFORE_JAR=${BEFORE_JAR:-}

edge_require java wrk nginx redis-server redis-cli curl jq openssl python3 taskset

if [ $# -ge 1 ]; then
  JAR=$(realpath "$1")
else
  JAR=$(find_gateway_jar)
  if [ -z "$JAR" ]; then
    echo "building the gateway jar" >&2
    (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl gateway-app -am)
    JAR=$(find_gateway_jar)
  fi
fi
[ -f "$JAR" ] || { echo "no gateway jar: $JAR" >&2; exit 2; }
if [ -n "$BEFORE_JAR" ]; then
  BEFORE_JAR=$(realpath "$BEFORE_JAR")
  [ -f "$BEFORE_JAR" ] || { echo "no before jar: $BEFORE_JAR" >&2; exit 2; }
fi
if [ "$PEER" = 1 ] && [ ! -f "$PEER_JAR" ]; then
  echo "building the peer gateway" >&2
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl benchmarks/peer-gateway)
fi

WORK=$(mktemp -d /tmp/edge-bench.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
RESULTS=$WORK/results.tsv
: > "$RESULTS"
# private copies: a rebuild of gateway-app/target during the run cannot change what is measured
cp "$JAR" "$WORK/gateway.jar"
if [ "$PEER" = 1 ]; then cp "$PEER_JAR" "$WORK/peer.jar"; fi
[ -n "$BEFORE_JAR" ] && cp "$BEFORE_JAR" "$WORK/before.jar"

# Pinning: every gateway on the last core, wrk, nginx and Redis on the first. A gateway's JVM is told it has
# one processor, as in a one-CPU container, so that its thread pools and GC match the core it gets.
GATEWAY_CPU='' WRK_CPU='' PINNING=none
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  GATEWAY_CPU=$(( $(nproc) - 1 )) WRK_CPU=0
  PINNING="gateways on CPU $GATEWAY_CPU, wrk, nginx and redis-server on CPU $WRK_CPU"
  JAVA_OPTS="$JAVA_OPTS -XX:ActiveProcessorCount=1"
fi

STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "work dir $WORK; gateway $JAR" >&2

make_keys
NGINX_PORT=$(free_port)
REDIS_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WRK_CPU"
start_redis "$REDIS_PORT"
[ -n "$WRK_CPU" ] && taskset -p -c "$WRK_CPU" "$REDIS_PID" > /dev/null

declare -A TG_PORT TG_PID PEER_PORT PEER_PID BEFORE_PORT BEFORE_PID TOKEN
BARE_PORT=$(free_port)
write_bare_config "$WORK/bare.yml" "$BARE_PORT" "$(free_port)" "$NGINX_PORT"
start_jvm bare "$WORK/gateway.jar" "$WORK/bare.yml"
BARE_PID=$JVM_PID
for alg in $ALGORITHMS; do
  TG_PORT[$alg]=$(free_port)
  write_tollgate_config "$WORK/tg-$alg.yml" "$alg" "${TG_PORT[$alg]}" "$(free_port)" "$NGINX_PORT" "$REDIS_PORT"
  start_jvm "tg-$alg" "$WORK/gateway.jar" "$WORK/tg-$alg.yml"
  TG_PID[$alg]=$JVM_PID
  if [ -n "$BEFORE_JAR" ]; then  # the same keys and routes: it accepts the tokens of the gateway under test
    BEFORE_PORT[$alg]=$(free_port)
    write_tollgate_config "$WORK/before-$alg.yml" "$alg" "${BEFORE_PORT[$alg]}" "$(free_port)" "$NGINX_PORT" \
      "$REDIS_PORT"
    start_jvm "before-$alg" "$WORK/before.jar" "$WORK/before-$alg.yml"
    BEFORE_PID[$alg]=$JVM_PID
  fi
  if [ "$PEER" = 1 ] && [ "$alg" != EdDSA ]; then  # Spring Security has no EdDSA
    PEER_PORT[$alg]=$(free_port)
    write_peer_config "$WORK/peer-$alg.yml" "$alg" "${PEER_PORT[$alg]}" "$NGINX_PORT" "${TG_PORT[$alg]}"
    start_jvm "peer-$alg" "$WORK/peer.jar" "$WORK/peer-$alg.yml"
    PEER_PID[$alg]=$JVM_PID
  fi
done

expect() {  # expect WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || { echo "sanity check failed: $1: expected '$2', got '$3'" >&2; exit 1; }
}
bare=http://127.0.0.1:$BARE_PORT
wait_http "$bare/public/ready" 200 180 "$BARE_PID" "$WORK/bare.log"
# the bare gateway checks nothing and injects nothing: what a client sends is what the upstream gets
expect "bare gateway forwards X-User-Id as sent" "mallory|" "$(curl -s -H 'X-User-Id: mallory' "$bare/public/whoami")"
for alg in $ALGORITHMS; do
  tg=http://127.0.0.1:${TG_PORT[$alg]}
  wait_http "$tg/public/ready" 200 180 "${TG_PID[$alg]}" "$WORK/tg-$alg.log"
  TOKEN[$alg]=$(login "${TG_PORT[$alg]}")
  [ -n "${TOKEN[$alg]}" ] || { echo "login failed on the $alg gateway; see $WORK/tg-$alg.log" >&2; exit 1; }
  # no number may come from a failure path: the guarded route refuses no token, takes the token, and
  # injects the identity; a client's X-User-Id never passes
  auth="Authorization: Bearer ${TOKEN[$alg]}"
  user=$(curl -s -H "$auth" "$tg/api/whoami")
  [[ $user == u-*"|user" ]] || { echo "sanity check failed: $alg identity: '$user'" >&2; exit 1; }
  expect "$alg guarded without token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$tg/api/items")"
  expect "$alg public route strips X-User-Id" "|" "$(curl -s -H 'X-User-Id: mallory' "$tg/public/whoami")"
  if [ -n "${PEER_PORT[$alg]:-}" ]; then
    peer=http://127.0.0.1:${PEER_PORT[$alg]}
    wait_http "$peer/public/ready" 200 180 "${PEER_PID[$alg]}" "$WORK/peer-$alg.log"
    expect "$alg peer identity" "$user" "$(curl -s -H "$auth" "$peer/api/whoami")"
    expect "$alg peer guarded without token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$peer/api/items")"
    expect "$alg peer public route strips X-User-Id" "|" "$(curl -s -H 'X-User-Id: mallory' "$peer/public/whoami")"
  fi
  if [ -n "${BEFORE_PORT[$alg]:-}" ]; then
    before=http://127.0.0.1:${BEFORE_PORT[$alg]}
    wait_http "$before/public/ready" 200 180 "${BEFORE_PID[$alg]}" "$WORK/before-$alg.log"
    expect "$alg before identity" "$user" "$(curl -s -H "$auth" "$before/api/whoami")"
    expect "$alg before guarded without token" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$before/api/items")"
    expect "$alg before public route strips X-User-Id" "|" \
      "$(curl -s -H 'X-User-Id: mallory' "$before/public/whoami")"
  fi
done
if [ -n "$GATEWAY_CPU" ]; then
  for pid in "$BARE_PID" "${TG_PID[@]}" "${PEER_PID[@]}" "${BEFORE_PID[@]}"; do
    taskset -a -p -c "$GATEWAY_CPU" "$pid" > /dev/null
  done
fi
echo "all gateways up and checked; JIT warm-up" >&2

refresh_tokens() {
  local i tokens=()
  for i in $(seq 1 "$REFRESH_SESSIONS"); do tokens+=("$(login "$1" refreshToken)"); done
  echo "${tokens[*]}"
}

# Redis round trips of one refresh, watched with MONITOR: commands a client sent, not those a script ran.
count_round_trips() {
  local port=$1 out=$2 token monitor
  token=$(login "$port" refreshToken)
  redis-cli -p "$REDIS_PORT" monitor > "$out.monitor" &
  monitor=$!
  EDGE_PIDS+=("$monitor")
  sleep 0.5
  curl -s -o /dev/null -X POST "http://127.0.0.1:$port/auth/refresh" -A "$BENCH_USER_AGENT" \
    -H 'Content-Type: application/json' -d "{\"refreshToken\":\"$token\"}"
  sleep 0.5
  kill "$monitor"
  grep -v -e '^OK' -e ' \[[0-9]* lua\] ' "$out.monitor" | awk '{ gsub(/"/, "", $4); print $4 }' > "$out" || true
}

# Each route of each gateway, and refresh, twice, alternating, JIT_WARMUP seconds each: until the JIT has
# compiled every path, the CPU per request is dominated by the compiler (see the JIT part in the report). A gateway
# pinned to one core (one C2 compiler thread) kept getting cheaper for about a minute of load: with 2 x 10 s its
# public route still cost 1.5-2x its steady state in the first round, hence 2 x 25 s.
(
  WARMUP=$JIT_WARMUP
  for _ in 1 2; do
    for alg in $ALGORITHMS; do
      for port in "$BARE_PORT" "${TG_PORT[$alg]}" ${PEER_PORT[$alg]:-} ${BEFORE_PORT[$alg]:-}; do
        warm "$CONNECTIONS" 1 "http://127.0.0.1:$port/public/items"
        warm "$CONNECTIONS" 1 -H "Authorization: Bearer ${TOKEN[$alg]}" "http://127.0.0.1:$port/api/items"
      done
    done
    for alg in $REFRESH_ALGORITHMS; do
      [ -n "${TG_PORT[$alg]:-}" ] || continue
      REFRESH_TOKENS=$(refresh_tokens "${TG_PORT[$alg]}") \
        warm "$REFRESH_SESSIONS" "$REFRESH_SESSIONS" -s "$EDGE_DIR/refresh.lua" "http://127.0.0.1:${TG_PORT[$alg]}"
    done
  done
)

for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS, direct" >&2
  warm "$CONNECTIONS" 1 "http://127.0.0.1:$NGINX_PORT/api/items"
  measure "$round	-	direct" "$NGINX_PID" "$CONNECTIONS" 1 "http://127.0.0.1:$NGINX_PORT/api/items"
  for alg in $ALGORITHMS; do
    echo "round $round/$ROUNDS, $alg" >&2
    tg=http://127.0.0.1:${TG_PORT[$alg]}
    auth="Authorization: Bearer ${TOKEN[$alg]}"
    warm "$CONNECTIONS" 1 "$bare/public/items"
    measure "$round	$alg	bare-public" "$BARE_PID" "$CONNECTIONS" 1 "$bare/public/items"
    warm "$CONNECTIONS" 1 "$tg/public/items"
    measure "$round	$alg	public" "${TG_PID[$alg]}" "$CONNECTIONS" 1 "$tg/public/items"
    warm "$CONNECTIONS" 1 -H "$auth" "$bare/api/items"
    measure "$round	$alg	bare-guarded" "$BARE_PID" "$CONNECTIONS" 1 -H "$auth" "$bare/api/items"
    warm "$CONNECTIONS" 1 -H "$auth" "$tg/api/items"
    measure "$round	$alg	guarded" "${TG_PID[$alg]}" "$CONNECTIONS" 1 -H "$auth" "$tg/api/items"
    if [ -n "${PEER_PORT[$alg]:-}" ]; then
      peer=http://127.0.0.1:${PEER_PORT[$alg]}
      warm "$CONNECTIONS" 1 "$peer/public/items"
      measure "$round	$alg	peer-public" "${PEER_PID[$alg]}" "$CONNECTIONS" 1 "$peer/public/items"
      warm "$CONNECTIONS" 1 -H "$auth" "$peer/api/items"
      measure "$round	$alg	peer-guarded" "${PEER_PID[$alg]}" "$CONNECTIONS" 1 -H "$auth" "$peer/api/items"
    fi
    if [ -n "${BEFORE_PORT[$alg]:-}" ]; then
      before=http://127.0.0.1:${BEFORE_PORT[$alg]}
      warm "$CONNECTIONS" 1 "$before/public/items"
      measure "$round	$alg	before-public" "${BEFORE_PID[$alg]}" "$CONNECTIONS" 1 "$before/public/items"
      warm "$CONNECTIONS" 1 -H "$auth" "$before/api/items"
      measure "$round	$alg	before-guarded" "${BEFORE_PID[$alg]}" "$CONNECTIONS" 1 -H "$auth" "$before/api/items"
    fi
  done
  for alg in $REFRESH_ALGORITHMS; do
    [ -n "${TG_PORT[$alg]:-}" ] || continue
    echo "round $round/$ROUNDS, $alg refresh" >&2
    # fresh sessions for the warm-up and for the measurement: a run that stops mid-request loses its token
    REFRESH_TOKENS=$(refresh_tokens "${TG_PORT[$alg]}") \
      warm "$REFRESH_SESSIONS" "$REFRESH_SESSIONS" -s "$EDGE_DIR/refresh.lua" "http://127.0.0.1:${TG_PORT[$alg]}"
    tokens=$(refresh_tokens "${TG_PORT[$alg]}")
    redis-cli -p "$REDIS_PORT" config resetstat > /dev/null
    REFRESH_TOKENS=$tokens measure "$round	$alg	refresh" "${TG_PID[$alg]}" "$REFRESH_SESSIONS" "$REFRESH_SESSIONS" \
      -s "$EDGE_DIR/refresh.lua" "http://127.0.0.1:${TG_PORT[$alg]}"
    redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' > "$WORK/commandstats-$alg-$round.txt"
  done
done

for alg in $REFRESH_ALGORITHMS; do
  [ -n "${TG_PORT[$alg]:-}" ] && count_round_trips "${TG_PORT[$alg]}" "$WORK/roundtrips-$alg.txt"
done

OUT=$ROOT/benchmarks/edge/target
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%d-%H%M%S)
cp "$RESULTS" "$OUT/edge-$STAMP.tsv"
python3 "$EDGE_DIR/report.py" "$RESULTS" "$WORK" \
  "jar: \`$(basename "$JAR")\` ($(sha256sum "$JAR" | cut -c1-12), built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC'))" \
  ${BEFORE_JAR:+"before jar: \`$(basename "$BEFORE_JAR")\` ($(sha256sum "$BEFORE_JAR" | cut -c1-12), built $(date -u -r "$BEFORE_JAR" '+%Y-%m-%d %H:%M UTC')): its public and guarded routes in every round, on the same token"} \
  "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), $(java -version 2>&1 | head -n 1)" \
  "run: $STARTED_AT, load average before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS round(s) of ${DURATION}s per case (after ${WARMUP}s warm-up), wrk -t1 -c$CONNECTIONS; refresh wrk -t$REFRESH_SESSIONS -c$REFRESH_SESSIONS" \
  "pinning: $PINNING; JAVA_OPTS: $JAVA_OPTS" \
  | tee "$OUT/edge-$STAMP.md"
echo "report: $OUT/edge-$STAMP.md" >&2
