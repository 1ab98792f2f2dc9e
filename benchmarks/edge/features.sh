#!/usr/bin/env bash
# What Tollgate's optional features cost on the proxy hop, side by side in one run (rounds interleaved, the gateways
# pinned to one core as in run.sh): on one HS256 Tollgate gateway with the Redis store,
#   guarded               a bearer token, the signed identity for backends on (the default)
#   guarded-no-assertion  the same token on a second gateway with tollgate.assertion.enabled=false
#   dpop-ES256/-EdDSA     a DPoP-bound token (RFC 9449) and a fresh proof per request, ES256 or Ed25519 key
#   login, login-dpop     the token endpoint: IssueTokens login (nginx plays the user service), without and with a
#                         proof (ES256)
#   refresh, refresh-dpop 8 sessions, one connection each (refresh.lua), bearer sessions and ES256-bound ones
# wrk cannot sign, so each case's proofs are made just before it runs (dpop-proofs.mjs, Node's OpenSSL, on the load
# generator's core while the gateway waits), enough for its requests, and the gateway accepts proofs for 10 minutes
# (tollgate.dpop.proof-max-age=10m, the most it allows) instead of one: the replay check still refuses a proof used
# twice.
#
#   benchmarks/edge/features.sh [gateway jar]      # ~15 min
#
# Settings (environment): CASES (all of the above), ROUNDS (3), DURATION (8), WARMUP (2), JIT_WARMUP (15, twice per case), CONNECTIONS (32),
# REFRESH_SESSIONS (8), PIN (1), JAVA_OPTS, KEEP=1. Needs what run.sh needs, and node.
set -euo pipefail
EDGE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EDGE_DIR/../.." && pwd)
export EDGE_DIR
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"
export BENCH_USER_AGENT

ROUNDS=${ROUNDS:-3} DURATION=${DURATION:-8} WARMUP=${WARMUP:-2} JIT_WARMUP=${JIT_WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-32} REFRESH_SESSIONS=${REFRESH_SESSIONS:-8} PIN=${PIN:-1}
JAVA_OPTS=${JAVA_OPTS:-"-Xms512m -Xmx512m"}
edge_require java wrk nginx redis-server redis-cli curl jq openssl python3 taskset node

JAR=$(realpath "${1:-$(find_gateway_jar)}")
[ -f "$JAR" ] || { echo "no gateway jar: $JAR (./mvnw -B -q -DskipTests package)" >&2; exit 2; }
WORK=$(mktemp -d /tmp/edge-features.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
RESULTS=$WORK/results.tsv
: > "$RESULTS"
cp "$JAR" "$WORK/gateway.jar"
GATEWAY_CPU='' WRK_CPU=''
if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  GATEWAY_CPU=$(( $(nproc) - 1 )) WRK_CPU=0
  JAVA_OPTS="$JAVA_OPTS -XX:ActiveProcessorCount=1"
fi
STARTED_AT=$(date -u '+%Y-%m-%d %H:%M UTC')

make_keys
NGINX_PORT=$(free_port) REDIS_PORT=$(free_port)
start_nginx "$NGINX_PORT" "$WRK_CPU"
start_redis "$REDIS_PORT"
[ -n "$WRK_CPU" ] && taskset -p -c "$WRK_CPU" "$REDIS_PID" > /dev/null

PORT=$(free_port) PLAIN_PORT=$(free_port)
write_tollgate_config "$WORK/tg.yml" HS256 "$PORT" "$(free_port)" "$NGINX_PORT" "$REDIS_PORT"
write_tollgate_config "$WORK/plain.yml" HS256 "$PLAIN_PORT" "$(free_port)" "$NGINX_PORT" "$REDIS_PORT"
start_jvm tg "$WORK/gateway.jar" "$WORK/tg.yml" "-Dtollgate.dpop.proof-max-age=10m"
TG_PID=$JVM_PID
start_jvm plain "$WORK/gateway.jar" "$WORK/plain.yml" "-Dtollgate.assertion.enabled=false"
PLAIN_PID=$JVM_PID
TG=http://127.0.0.1:$PORT PLAIN=http://127.0.0.1:$PLAIN_PORT
wait_http "$TG/public/ready" 200 180 "$TG_PID" "$WORK/tg.log"
wait_http "$PLAIN/public/ready" 200 180 "$PLAIN_PID" "$WORK/plain.log"

proofs() {  # proofs KEY METHOD URL COUNT [TOKEN] > file
  node "$EDGE_DIR/dpop-proofs.mjs" proofs "$@"
}
expect() {  # expect WHAT EXPECTED ACTUAL
  [ "$2" = "$3" ] || { echo "sanity check failed: $1: expected '$2', got '$3'" >&2; exit 1; }
}

BEARER=$(login "$PORT")
declare -A DPOP_TOKEN
for alg in ES256 EdDSA; do
  node "$EDGE_DIR/dpop-proofs.mjs" key "$alg" "$WORK/dpop-$alg.json"
  DPOP_TOKEN[$alg]=$(dpop_login "$PORT" "$WORK/dpop-$alg.json")
  [ -n "${DPOP_TOKEN[$alg]}" ] || { echo "DPoP login failed ($alg); see $WORK/tg.log" >&2; exit 1; }
  jkt=$(node "$EDGE_DIR/dpop-proofs.mjs" jkt "$WORK/dpop-$alg.json")
  claims=$(python3 -c 'import base64,sys; p=sys.argv[1].split(".")[1]; print(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).decode())' "${DPOP_TOKEN[$alg]}")
  expect "$alg token bound to the key" "$jkt" "$(jq -r '.cnf.jkt' <<< "$claims")"
done
# sanity: no number may come from a failure path
expect "bearer identity" "user" "$(curl -s -H "Authorization: Bearer $BEARER" "$TG/api/whoami" | cut -d'|' -f2)"
expect "no assertion on the plain gateway" "" "$(curl -s -o /dev/null -D - -H "Authorization: Bearer $BEARER" "$PLAIN/api/items" | grep -i '^x-tollgate' || true)"
one=$(proofs "$WORK/dpop-ES256.json" GET "$TG/api/items" 1 "${DPOP_TOKEN[ES256]}")
expect "DPoP request" 200 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: DPoP ${DPOP_TOKEN[ES256]}" -H "DPoP: $one" "$TG/api/items")"
expect "the same proof again" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: DPoP ${DPOP_TOKEN[ES256]}" -H "DPoP: $one" "$TG/api/items")"
expect "bound token as Bearer" 401 "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${DPOP_TOKEN[ES256]}" "$TG/api/items")"

# make_proofs CASE SECONDS: the proofs one run of CASE needs, at most PROOFS_PER_SECOND requests/s (the cases with a
# proof run a few thousand requests/s at most: the proof's signature check on every request).
PROOFS_PER_SECOND=${PROOFS_PER_SECOND:-5000}
make_proofs() {
  local count=$(( $2 * PROOFS_PER_SECOND )) i
  case "$1" in
    dpop-ES256|dpop-EdDSA)
      proofs "$WORK/dpop-${1#dpop-}.json" GET "$TG/api/items" "$count" "${DPOP_TOKEN[${1#dpop-}]}" \
        > "$WORK/api-${1#dpop-}.proofs" ;;
    login-dpop) proofs "$WORK/dpop-ES256.json" POST "$TG/auth/login" "$count" > "$WORK/login-ES256.proofs" ;;
    refresh-dpop)
      for i in $(seq 1 "$REFRESH_SESSIONS"); do
        proofs "$WORK/dpop-ES256.json" POST "$TG/auth/refresh" $(( count / REFRESH_SESSIONS + 1000 )) \
          > "$WORK/refresh-ES256.$i.proofs"
      done ;;
  esac
}
for pid in "$TG_PID" "$PLAIN_PID"; do
  [ -n "$GATEWAY_CPU" ] && taskset -a -p -c "$GATEWAY_CPU" "$pid" > /dev/null
done

refresh_tokens() {  # refresh_tokens [KEY]: REFRESH_SESSIONS fresh sessions, bearer or bound to KEY
  local i tokens=()
  for i in $(seq 1 "$REFRESH_SESSIONS"); do
    if [ $# -ge 1 ]; then tokens+=("$(dpop_login "$PORT" "$1" refreshToken)"); else tokens+=("$(login "$PORT" refreshToken)"); fi
  done
  echo "${tokens[*]}"
}

# One case: its warm-up (or the JIT warm-up) then, when LABEL is given, its measurement.
run_case() {
  local name=$1 mode=$2 label=${3:-}
  local pid=$TG_PID connections=$CONNECTIONS threads=1 args=()
  case "$name" in
    guarded) args=(-H "Authorization: Bearer $BEARER" "$TG/api/items") ;;
    guarded-no-assertion) pid=$PLAIN_PID args=(-H "Authorization: Bearer $BEARER" "$PLAIN/api/items") ;;
    dpop-ES256|dpop-EdDSA)
      export PROOF_FILE=$WORK/api-${name#dpop-}.proofs AUTHORIZATION="DPoP ${DPOP_TOKEN[${name#dpop-}]}"
      export METHOD=GET PATH_AND_QUERY=/api/items
      unset BODY
      args=(-s "$EDGE_DIR/request.lua" "$TG") ;;
    login|login-dpop)
      if [ "$name" = login-dpop ]; then export PROOF_FILE=$WORK/login-ES256.proofs; else unset PROOF_FILE; fi
      export METHOD=POST PATH_AND_QUERY=/auth/login BODY='{"username":"bench-%d","password":"bench"}' AUTHORIZATION=
      args=(-s "$EDGE_DIR/request.lua" "$TG") ;;
    refresh|refresh-dpop)
      connections=$REFRESH_SESSIONS threads=$REFRESH_SESSIONS
      if [ "$name" = refresh-dpop ]; then
        export PROOF_FILE=$WORK/refresh-ES256.%d.proofs
        REFRESH_TOKENS=$(refresh_tokens "$WORK/dpop-ES256.json")
      else
        unset PROOF_FILE
        REFRESH_TOKENS=$(refresh_tokens)
      fi
      export REFRESH_TOKENS
      args=(-s "$EDGE_DIR/refresh.lua" "$TG") ;;
  esac
  if [ "$mode" = jit ]; then
    make_proofs "$name" "$JIT_WARMUP"
    WARMUP=$JIT_WARMUP warm "$connections" "$threads" "${args[@]}"
  else
    # a proof is accepted once: the warm-up and the measurement get files of their own
    make_proofs "$name" $(( WARMUP + 1 ))
    warm "$connections" "$threads" "${args[@]}"
    if [ "${name#refresh}" != "$name" ]; then  # the warm-up spent these sessions' tokens: fresh ones
      if [ "$name" = refresh-dpop ]; then REFRESH_TOKENS=$(refresh_tokens "$WORK/dpop-ES256.json"); else REFRESH_TOKENS=$(refresh_tokens); fi
    fi
    make_proofs "$name" $(( DURATION + 1 ))
    measure "$label" "$pid" "$connections" "$threads" "${args[@]}"
  fi
  unset PROOF_FILE AUTHORIZATION METHOD PATH_AND_QUERY BODY REFRESH_TOKENS
}

CASES=${CASES:-"guarded guarded-no-assertion dpop-ES256 dpop-EdDSA login login-dpop refresh refresh-dpop"}
echo "JIT warm-up" >&2
for _ in 1 2; do for c in $CASES; do run_case "$c" jit; done; done
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round/$ROUNDS" >&2
  for c in $CASES; do run_case "$c" measure "$round	$c"; done
done

OUT=$ROOT/benchmarks/edge/target
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%d-%H%M%S)
cp "$RESULTS" "$OUT/features-$STAMP.tsv"
{
  echo "# features.sh, $STARTED_AT, $(nproc) cores, $ROUNDS rounds of ${DURATION}s, JIT warm-up 2 x ${JIT_WARMUP}s"
  echo "jar: \`$(basename "$JAR")\` ($(sha256sum "$JAR" | cut -c1-12)); $(java -version 2>&1 | head -n 1)"
  echo
  python3 - "$RESULTS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    rnd, case, rps, p50, p99, cpu, jit, non2xx, errors, requests = line.rstrip("\n").split("\t")
    rows.setdefault(case, []).append(dict(round=rnd, rps=float(rps), cpu=float(cpu) - float(jit), p50=int(p50),
                                          bad=int(non2xx) + int(errors)))
def med(case, key):
    return statistics.median(r[key] for r in rows[case])
def ratio(top, bottom, key="rps"):
    by_round = {r["round"]: r[key] for r in rows[bottom]}
    values = [r[key] / by_round[r["round"]] for r in rows[top] if by_round.get(r["round"])]
    return "%.2f (%.2f–%.2f)" % (statistics.median(values), min(values), max(values))
print("| case | requests/s | CPU µs/request (without JIT) | p50 ms | non-2xx or errors |")
print("|---|---|---|---|---|")
for case in rows:
    print("| %s | %.0f | %.1f | %.2f | %d |" % (case, med(case, "rps"), med(case, "cpu"), med(case, "p50") / 1000,
                                              sum(r["bad"] for r in rows[case])))
print()
print("| against | ratio of requests/s (median of rounds, min–max) | extra CPU µs/request |")
print("|---|---|---|")
for top, bottom in [("guarded", "guarded-no-assertion"), ("dpop-ES256", "guarded"), ("dpop-EdDSA", "guarded"),
                    ("login-dpop", "login"), ("refresh-dpop", "refresh")]:
    if top in rows and bottom in rows:
        print("| %s / %s | %s | %+.1f |" % (top, bottom, ratio(top, bottom), med(top, "cpu") - med(bottom, "cpu")))
PY
} | tee "$OUT/features-$STAMP.md"
