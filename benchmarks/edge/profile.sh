#!/usr/bin/env bash
# CPU flame graphs of the gateway under wrk, public route against guarded route, with async-profiler (from Maven
# Central, tools.profiler:async-profiler), attached to the running JVM with jcmd after a JIT warm-up, in the
# same setting as run.sh (nginx upstream, explicit keys, the gateway pinned to one core). The bare gateway (the same
# jar with tollgate.enabled=false) is profiled too, without and with the guarded request's Authorization header.
# Writes, into OUT_DIR: <gateway>-<algorithm>-<case>.html (flame graphs) and summary.md (per request: what Tollgate
# adds to the bare gateway by component and by Tollgate entry point, and where the guarded route's extra CPU goes;
# see flame-summary.py). The folded stacks behind summary.md stay in the temp dir (KEEP=1).
#
#   benchmarks/edge/profile.sh [gateway jar] [out dir]     # default out dir: benchmarks/edge/target/profile; ~6 min
#
# Settings (environment): ALGORITHMS ("HS256 ES256"), PEER (1: profile the peer gateway too), BARE (1), REFRESH
# (1: refresh over 8 sessions too), DPOP (1: a DPoP request too, with a DPOP_KEY (EdDSA | ES256) proof made for each
# request before the window, at most DPOP_RATE (3000) requests/s; the gateway then accepts proofs for 10 minutes,
# as in features.sh), DURATION (20), ALLOC_DURATION (5: seconds of allocation profiling per case, 0:
# none), JIT_WARMUP (15), CONNECTIONS (32), INTERVAL (sampling period, ns; 1000000), PIN (1), JAVA_OPTS,
# ASYNC_PROFILER_VERSION (4.1), KEEP=1.
set -euo pipefail
EDGE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EDGE_DIR/../.." && pwd)
export EDGE_DIR
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"

ALGORITHMS=${ALGORITHMS:-"HS256 ES256"}
PEER=${PEER:-1}
BARE=${BARE:-1}
REFRESH=${REFRESH:-1}
DPOP=${DPOP:-1}
DPOP_KEY=${DPOP_KEY:-EdDSA}
DPOP_RATE=${DPOP_RATE:-3000}
DURATION=${DURATION:-20}
ALLOC_DURATION=${ALLOC_DURATION:-5}
JIT_WARMUP=${JIT_WARMUP:-25}
WARMUP=2
CONNECTIONS=${CONNECTIONS:-32}
INTERVAL=${INTERVAL:-1000000}
PIN=${PIN:-1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.1}
JAR=$(realpath "${1:-$(find "$ROOT/gateway-app/target" -maxdepth 1 -name 'gateway-app-*.jar' ! -name '*-sources.jar' ! -name '*-javadoc.jar' | head -n 1)}")
OUT_DIR=$(realpath -m "${2:-$EDGE_DIR/target/profile}")
PEER_JAR=${PEER_JAR:-$ROOT/benchmarks/peer-gateway/target/peer-gateway.jar}

edge_require java jcmd wrk nginx redis-server redis-cli curl jq openssl python3 unzip taskset
[ "$DPOP" = 1 ] && edge_require node
[ -f "$JAR" ] || { echo "no gateway jar: $JAR" >&2; exit 2; }
if [ "$PEER" = 1 ] && [ ! -f "$PEER_JAR" ]; then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package -pl benchmarks/peer-gateway)
fi

WORK=$(mktemp -d /tmp/edge-profile.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
RESULTS=$WORK/results.tsv
mkdir -p "$OUT_DIR"

(cd "$ROOT" && ./mvnw -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION" \
  -DoutputDirectory="$WORK")
unzip -q -o "$WORK/async-profiler-$ASYNC_PROFILER_VERSION.jar" 'linux-x64/libasyncProfiler.so' -d "$WORK"
PROFILER=$WORK/linux-x64/libasyncProfiler.so

GATEWAY_CPU='' WRK_CPU=''
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  GATEWAY_CPU=$(( $(nproc) - 1 )) WRK_CPU=0
  JAVA_OPTS="$JAVA_OPTS -XX:ActiveProcessorCount=1"
fi
# frames of inlined methods stay visible; without it the profile under-reports small hot methods
JAVA_OPTS="$JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints"

cp "$JAR" "$WORK/gateway.jar"
make_keys
NGINX_PORT=$(free_port)
REDIS_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WRK_CPU"
start_redis "$REDIS_PORT"

# One async-profiler command to a running JVM (what its asprof launcher does, through jcmd); jcmd's parser needs
# the options quoted, or it splits them at '='. Errors land in the JVM's own output (its log).
profiler() {
  local out
  out=$(jcmd "$1" JVMTI.agent_load "$PROFILER" "\"$2\"")
  grep -q 'return code: 0' <<< "$out" || { echo "async-profiler '$2': $out; see the gateway log" >&2; exit 1; }
}

# CPU of each of a JVM's threads, "name<TAB>µs" (thread numbers dropped from names, so pools add up).
thread_cpu() {
  local task name
  for task in /proc/"$1"/task/*; do
    name=$(cat "$task/comm" 2>/dev/null) || continue
    printf '%s\t%s\n' "$(sed -E 's/[-#]?[0-9]+$//' <<< "$name")" "$(stat_us < "$task/stat" 2>/dev/null || echo 0)"
  done
}

# Profiles one case: async-profiler on for DURATION seconds of wrk (CPU samples, and the threads' CPU around the
# window), then the flame graph and folded stacks; then ALLOC_DURATION seconds more with allocation profiling
# (bytes, by stack), so that the garbage per request is known too.
profile_case() {
  local name=$1 pid=$2 connections=${CASE_CONNECTIONS:-$CONNECTIONS} threads=${CASE_THREADS:-1}
  shift 2
  warm "$connections" "$threads" "$@"
  thread_cpu "$pid" > "$WORK/$name.threads-before"
  profiler "$pid" "start,event=cpu,interval=$INTERVAL"
  measure "$name" "$pid" "$connections" "$threads" "$@"
  profiler "$pid" "stop,file=$OUT_DIR/$name.html,title=$name"
  thread_cpu "$pid" > "$WORK/$name.threads-after"
  profiler "$pid" "dump,collapsed,file=$WORK/$name.collapsed"
  if [ "$ALLOC_DURATION" -gt 0 ]; then
    profiler "$pid" "start,event=alloc"
    local out
    out=$(${WRK_CPU:+taskset -c "$WRK_CPU"} wrk -t"$threads" -c"$connections" -d"${ALLOC_DURATION}s" -s "$EDGE_DIR/report.lua" "$@")
    profiler "$pid" "stop"
    profiler "$pid" "dump,collapsed,total,file=$WORK/$name.alloc.collapsed"
    grep '^RESULT' <<< "$out" | awk '{ print $2 }' > "$WORK/$name.alloc.requests"
  fi
}

# Both routes twice, alternating, so that neither profile window catches the JIT compiling the other's code.
jit_warmup() {
  local WARMUP=$JIT_WARMUP
  for _ in 1 2; do
    warm "$CONNECTIONS" 1 "http://127.0.0.1:$1/public/items"
    warm "$CONNECTIONS" 1 -H "Authorization: Bearer $2" "http://127.0.0.1:$1/api/items"
  done
}

: > "$RESULTS"
for alg in $ALGORITHMS; do
  port=$(free_port)
  write_tollgate_config "$WORK/tg-$alg.yml" "$alg" "$port" "$(free_port)" "$NGINX_PORT" "$REDIS_PORT"
  start_jvm "tg-$alg" "$WORK/gateway.jar" "$WORK/tg-$alg.yml" "$([ "$DPOP" = 1 ] && echo -Dtollgate.dpop.proof-max-age=10m)"
  pid=$JVM_PID
  wait_http "http://127.0.0.1:$port/public/ready" 200 180 "$pid" "$WORK/tg-$alg.log"
  [ -n "$GATEWAY_CPU" ] && taskset -a -p -c "$GATEWAY_CPU" "$pid" > /dev/null
  token=$(login "$port")
  [ -n "$token" ] || { echo "login failed; see $WORK/tg-$alg.log" >&2; exit 1; }
  jit_warmup "$port" "$token"
  profile_case "tollgate-$alg-public" "$pid" "http://127.0.0.1:$port/public/items"
  profile_case "tollgate-$alg-guarded" "$pid" -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/items"
  if [ "$REFRESH" = 1 ]; then  # 8 sessions, one connection each, as in run.sh; fresh sessions for each window
    export BENCH_USER_AGENT REFRESH_TOKENS
    for _ in 1 2 3; do
      REFRESH_TOKENS=$(for _ in 1 2 3 4 5 6 7 8; do login "$port" refreshToken; done | tr '\n' ' ')
      CASE_CONNECTIONS=8 CASE_THREADS=8 WARMUP=$JIT_WARMUP warm 8 8 -s "$EDGE_DIR/refresh.lua" "http://127.0.0.1:$port"
    done
    REFRESH_TOKENS=$(for _ in 1 2 3 4 5 6 7 8; do login "$port" refreshToken; done | tr '\n' ' ')
    # no warm-up and no allocation window inside: both would present the tokens the measured window spends
    WARMUP=0 ALLOC_DURATION=0 CASE_CONNECTIONS=8 CASE_THREADS=8 profile_case "tollgate-$alg-refresh" "$pid" -s "$EDGE_DIR/refresh.lua" \
      "http://127.0.0.1:$port"
  fi
  if [ "$DPOP" = 1 ]; then  # a DPoP-bound token, and a proof accepted once for each request: one file per window
    node "$EDGE_DIR/dpop-proofs.mjs" key "$DPOP_KEY" "$WORK/dpop-$alg.json"
    dpop_token=$(dpop_login "$port" "$WORK/dpop-$alg.json")
    [ -n "$dpop_token" ] || { echo "DPoP login failed; see $WORK/tg-$alg.log" >&2; exit 1; }
    export METHOD=GET PATH_AND_QUERY=/api/items AUTHORIZATION="DPoP $dpop_token" BENCH_USER_AGENT PROOF_FILE
    for window in warm-1 warm-2 measure; do
      seconds=$JIT_WARMUP; [ "$window" = measure ] && seconds=$DURATION
      node "$EDGE_DIR/dpop-proofs.mjs" proofs "$WORK/dpop-$alg.json" GET "http://127.0.0.1:$port/api/items" \
        $(( (seconds + 1) * DPOP_RATE )) "$dpop_token" > "$WORK/dpop-$alg-$window.proofs"
    done
    for window in warm-1 warm-2; do
      PROOF_FILE=$WORK/dpop-$alg-$window.proofs
      WARMUP=$JIT_WARMUP warm "$CONNECTIONS" 1 -s "$EDGE_DIR/request.lua" "http://127.0.0.1:$port"
    done
    PROOF_FILE=$WORK/dpop-$alg-measure.proofs
    # no warm-up and no allocation window inside: both would present the proofs the measured window spends
    WARMUP=0 ALLOC_DURATION=0 profile_case "tollgate-$alg-dpop" "$pid" -s "$EDGE_DIR/request.lua" "http://127.0.0.1:$port"
    unset METHOD PATH_AND_QUERY AUTHORIZATION PROOF_FILE
  fi
  if [ "$PEER" = 1 ] && [ "$alg" != EdDSA ]; then
    peer_port=$(free_port)
    cp "$PEER_JAR" "$WORK/peer.jar"
    write_peer_config "$WORK/peer-$alg.yml" "$alg" "$peer_port" "$NGINX_PORT" "$port"
    start_jvm "peer-$alg" "$WORK/peer.jar" "$WORK/peer-$alg.yml"
    peer_pid=$JVM_PID
    wait_http "http://127.0.0.1:$peer_port/public/ready" 200 180 "$peer_pid" "$WORK/peer-$alg.log"
    [ -n "$GATEWAY_CPU" ] && taskset -a -p -c "$GATEWAY_CPU" "$peer_pid" > /dev/null
    jit_warmup "$peer_port" "$token"
    profile_case "peer-$alg-public" "$peer_pid" "http://127.0.0.1:$peer_port/public/items"
    profile_case "peer-$alg-guarded" "$peer_pid" -H "Authorization: Bearer $token" "http://127.0.0.1:$peer_port/api/items"
    kill "$peer_pid"
  fi
  if [ "$BARE" = 1 ]; then
    bare_port=$(free_port)
    write_bare_config "$WORK/bare-$alg.yml" "$bare_port" "$(free_port)" "$NGINX_PORT"
    start_jvm "bare-$alg" "$WORK/gateway.jar" "$WORK/bare-$alg.yml"
    bare_pid=$JVM_PID
    wait_http "http://127.0.0.1:$bare_port/public/ready" 200 180 "$bare_pid" "$WORK/bare-$alg.log"
    [ -n "$GATEWAY_CPU" ] && taskset -a -p -c "$GATEWAY_CPU" "$bare_pid" > /dev/null
    jit_warmup "$bare_port" "$token"
    profile_case "bare-$alg-public" "$bare_pid" "http://127.0.0.1:$bare_port/public/items"
    profile_case "bare-$alg-guarded" "$bare_pid" -H "Authorization: Bearer $token" "http://127.0.0.1:$bare_port/api/items"
    kill "$bare_pid"
  fi
  kill "$pid"
done

python3 "$EDGE_DIR/flame-summary.py" "$RESULTS" "$WORK" "$JAR" "$INTERVAL" | tee "$OUT_DIR/summary.md"
