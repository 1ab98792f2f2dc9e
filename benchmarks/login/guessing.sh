#!/usr/bin/env bash
# How fast can one client guess one account's password through the gateway? Password guessing from one address
# against one username, with login protection off (the gateway before it) and on (the defaults): the number of
# guesses that reach the user service, per minute, measured.
#
#   benchmarks/login/guessing.sh [gateway jar]   # default gateway-app/target/gateway-app-*.jar; ~3 min
#
# For each setting it starts the gateway jar (demo profile: in-process user service; Redis store on a redis-server
# of its own, loopback, free port) and drives wrong-password logins for alice with wrk (CONNECTIONS connections,
# DURATION seconds), then reads tollgate_logins_total from the management port: outcome invalid_credentials is a
# guess the user service answered, locked one the gateway refused without asking it. Prints a markdown table on
# stdout and, for the protected gateway, the guesses per hour and per day the lock-out schedule allows (5 failures,
# then locks of 1, 2, 4, 8, 15, 15, ... minutes).
#
# Settings (environment): DURATION (60), CONNECTIONS (4), JAVA_OPTS (""), KEEP=1 (keep the temp dir).
# Needs: java 17, redis-server, redis-cli, curl, wrk.
set -euo pipefail
LOGIN_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$LOGIN_DIR/../.." && pwd)
EDGE_DIR=$ROOT/benchmarks/edge
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"   # edge_cleanup, edge_require, free_port, start_redis, wait_http

DURATION=${DURATION:-60}
CONNECTIONS=${CONNECTIONS:-4}
JAVA_OPTS=${JAVA_OPTS:-}
edge_require java redis-server redis-cli curl wrk

gateway_jar "${1:-}"

WORK=$(mktemp -d /tmp/login-guessing.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
cp "$JAR" "$WORK/gateway.jar"
cat > "$WORK/guess.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/auth/login", nil, '{"username":"alice","password":"guess-' .. n .. '"}')
end
LUA

# Runs one setting ($1: true or false for tollgate.login.protection.enabled); writes "answered locked other" to
# $WORK/result-$1 (not printed: a command substitution would wait for the redis-server it starts).
run_case() {
  local protection=$1 redis_port port mport user_port upstream_port pid log=$WORK/gateway-$1.log metrics
  redis_port=$(free_port) port=$(free_port) mport=$(free_port) user_port=$(free_port) upstream_port=$(free_port)
  start_redis "$redis_port"
  # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
  java $JAVA_OPTS -jar "$WORK/gateway.jar" --spring.profiles.active=demo --tollgate.store=redis \
    --tollgate.signing.ephemeral-keys-allowed=true --tollgate.login.protection.enabled="$protection" \
    --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$redis_port" \
    --server.address=127.0.0.1 --server.port="$port" \
    --management.server.address=127.0.0.1 --management.server.port="$mport" \
    --tollgate.demo.user-service-port="$user_port" --tollgate.demo.upstream-port="$upstream_port" \
    > "$log" 2>&1 &
  pid=$!
  EDGE_PIDS+=("$pid")
  wait_http "http://127.0.0.1:$mport/actuator/health/readiness" 200 180 "$pid" "$log"
  echo "protection=$protection: guessing for ${DURATION}s over $CONNECTIONS connections" >&2
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s "$WORK/guess.lua" "http://127.0.0.1:$port" > "$WORK/wrk-$1.txt"
  metrics=$(curl -s "http://127.0.0.1:$mport/actuator/prometheus" | grep '^tollgate_logins_total')
  kill "$pid"
  local answered locked total
  answered=$(awk -F' ' '/outcome="invalid_credentials"/ {s+=$2} END {printf "%d", s}' <<< "$metrics")
  locked=$(awk -F' ' '/outcome="locked"/ {s+=$2} END {printf "%d", s}' <<< "$metrics")
  total=$(awk -F' ' '{s+=$2} END {printf "%d", s}' <<< "$metrics")
  echo "$answered $locked $(( total - answered - locked ))" > "$WORK/result-$1"
}

run_case false
run_case true
read -r OFF_ANSWERED OFF_LOCKED OFF_OTHER < "$WORK/result-false"
read -r ON_ANSWERED ON_LOCKED ON_OTHER < "$WORK/result-true"

per_minute() { awk -v n="$1" -v d="$DURATION" 'BEGIN { printf "%.0f", n * 60 / d }'; }

# guesses the defaults allow in $1 minutes: 5 failures, then a lock of 1, 2, 4, 8, 15, 15 ... minutes each time
allowed() {
  awk -v minutes="$1" 'BEGIN {
    t = 0; guesses = 0; lock = 1
    while (t < minutes) { guesses += 5; t += lock; lock = (lock * 2 > 15) ? 15 : lock * 2 }
    printf "%d", guesses }'
}

cat <<EOF2
# Password guessing against one account from one address

- date: $(date -u '+%Y-%m-%d %H:%M UTC'); jar: \`$(basename "$JAR")\`; $(nproc) cores; ${DURATION}s with wrk, $CONNECTIONS connections
- $(java -version 2>&1 | head -n 1); $(redis-server --version | cut -d' ' -f1-3)

| login protection | guesses answered by the user service | refused by the gateway (429) | other | guesses per minute |
|---|---|---|---|---|
| off (before) | $OFF_ANSWERED | $OFF_LOCKED | $OFF_OTHER | $(per_minute "$OFF_ANSWERED") |
| on, defaults (after) | $ON_ANSWERED | $ON_LOCKED | $ON_OTHER | $(per_minute "$ON_ANSWERED") |

With the defaults the lock-out schedule allows $(allowed 60) guesses in the first hour and $(allowed 1440) in a day
from one address against one account, against $(per_minute "$OFF_ANSWERED") per minute without protection.
EOF2
