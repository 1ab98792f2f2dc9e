#!/usr/bin/env bash
# Measures the cost of the edge access check on loopback: the demo gateway (in-process echo upstream)
# under wrk, on a public route (no token check) versus a protected route with a valid RS256 token, and the
# two rejection paths. Usage: docs/bench/access-check.sh [seconds] [connections]
# Needs: a built jar (./mvnw -DskipTests package), wrk, curl, jq. Bounded: 4 runs of $1 seconds.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN=${1:-15}
CONNECTIONS=${2:-32}
PORT=18080
JAR=gateway-app/target/gateway-app-0.1.0-SNAPSHOT.jar

java -jar "$JAR" --spring.profiles.active=demo --server.port=$PORT \
  --tollgate.demo.user-service-port=18081 --tollgate.demo.upstream-port=18082 \
  --logging.level.root=WARN > /tmp/tollgate-bench.log 2>&1 &
GATEWAY=$!
trap 'kill $GATEWAY' EXIT
for _ in $(seq 1 60); do curl -s -o /dev/null "localhost:$PORT/public/ping" && break; sleep 0.5; done

ACCESS=$(curl -s "localhost:$PORT/auth/login" -H 'Content-Type: application/json' \
  -d '{"username":"alice","password":"alice-password"}' | jq -r .accessToken)
SIG=${ACCESS##*.}; MID=$(( ${#SIG} / 2 )); FLIP=$([ "${SIG:$MID:1}" = A ] && echo B || echo A)
TAMPERED="${ACCESS%.*}.${SIG:0:$MID}${FLIP}${SIG:$((MID + 1))}"  # a middle character: every bit counts

run() {
  echo "== $1"
  shift
  # warm-up, then the measured run
  wrk -t2 -c"$CONNECTIONS" -d3s "$@" > /dev/null
  wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "$@" | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx'
}

run "public route, no token (proxy baseline)" "http://localhost:$PORT/public/items"
run "protected route, valid RS256 token (verify + inject + proxy)" -H "Authorization: Bearer $ACCESS" "http://localhost:$PORT/api/items"
run "protected route, no token (401 at the edge)" "http://localhost:$PORT/api/items"
run "protected route, bad signature (RSA verify, 401)" -H "Authorization: Bearer $TAMPERED" "http://localhost:$PORT/api/items"
