#!/usr/bin/env bash
# Redis memory of one login session (refresh-token family) of Tollgate's Redis store, and proof that it does not
# grow with the number of refreshes; then the cost of a million sessions, extrapolated from a bulk copy.
#
#   benchmarks/sessions/memory.sh [gateway jar]   # default gateway-app/target/gateway-app-*.jar; ~1 min
#
# Starts its own redis-server (loopback, free port, no persistence, in a temp dir; never the shared one) and the
# gateway jar with the demo profile (its in-process user service and upstream) but the Redis store, logs in as
# alice, and reads MEMORY USAGE ... SAMPLES 0 of the session's hash tollgate:rt:{<familyId>}:family after 0, 1,
# 500 and 1000 refreshes (each refresh must answer a new refresh token), of the user's index
# tollgate:user:{...}:sessions, and, after the logout of a second session, of its revocation marker
# tollgate:rt:{<familyId>}:revoked (with its PTTL). Then it DUMPs the real hash (after 1000 refreshes) and
# RESTOREs SESSIONS copies under fresh random 22-character family ids, each with one index of its own
# (ZADD, one user per session: the worst case for the index), both with the real keys' TTLs so that Redis's
# expires table is counted as in production, all sent through `redis-cli --pipe`; used_memory (INFO memory)
# before and after gives the bytes per session and the projection for 1,000,000 sessions.
#
# Prints a markdown report on stdout (date, jar, redis-server version, then tables such as
# `| after 1000 refreshes | 352 B | ... |`); progress goes to stderr.
#
# Settings (environment): SESSIONS (copies for the extrapolation, 100000), REFRESHES (1000; the middle
# checkpoint is half of it), JAVA_OPTS (""), KEEP=1 (keep the temp dir with the logs).
# Needs: java 17, redis-server, redis-cli, curl, jq, python3.
set -euo pipefail
SESSIONS_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$SESSIONS_DIR/../.." && pwd)
EDGE_DIR=$ROOT/benchmarks/edge
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"   # edge_cleanup, edge_require, free_port, start_redis, wait_http

SESSIONS=${SESSIONS:-100000}
REFRESHES=${REFRESHES:-1000}
JAVA_OPTS=${JAVA_OPTS:-}
[[ $SESSIONS =~ ^[1-9][0-9]*$ ]] || { echo "SESSIONS must be a positive integer: $SESSIONS" >&2; exit 2; }
[[ $REFRESHES =~ ^[1-9][0-9]*$ ]] && [ "$REFRESHES" -ge 2 ] \
  || { echo "REFRESHES must be an integer >= 2: $REFRESHES" >&2; exit 2; }

edge_require java redis-server redis-cli curl jq python3

gateway_jar "${1:-}"

WORK=$(mktemp -d /tmp/sessions-memory.XXXXXX)
trap edge_cleanup EXIT
trap 'exit 130' INT TERM
# a private copy: a rebuild of gateway-app/target during the run cannot change what is measured
cp "$JAR" "$WORK/gateway.jar"
LOG=$WORK/gateway.log
echo "work dir $WORK; gateway $JAR" >&2

fail() {
  echo "$*" >&2
  if [ -f "$LOG" ]; then echo "last lines of $LOG:" >&2; tail -n 40 "$LOG" >&2; fi
  exit 1
}

REDIS_PORT=$(free_port)
start_redis "$REDIS_PORT"
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }

PORT=$(free_port) MPORT=$(free_port) USER_PORT=$(free_port) UPSTREAM_PORT=$(free_port)
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
java $JAVA_OPTS -jar "$WORK/gateway.jar" --spring.profiles.active=demo --tollgate.store=redis \
  --tollgate.signing.ephemeral-keys-allowed=true \
  --spring.data.redis.host=127.0.0.1 --spring.data.redis.port="$REDIS_PORT" \
  --server.address=127.0.0.1 --server.port="$PORT" \
  --management.server.address=127.0.0.1 --management.server.port="$MPORT" \
  --tollgate.demo.user-service-port="$USER_PORT" --tollgate.demo.upstream-port="$UPSTREAM_PORT" \
  > "$LOG" 2>&1 &
GATEWAY_PID=$!
EDGE_PIDS+=("$GATEWAY_PID")
wait_http "http://127.0.0.1:$MPORT/actuator/health/readiness" 200 180 "$GATEWAY_PID" "$LOG"
GW=http://127.0.0.1:$PORT

# A refresh token from a login as alice.
login() {
  local body token
  body=$(curl -s "$GW/auth/login" -H 'Content-Type: application/json' \
    -d '{"username":"alice","password":"alice-password"}')
  token=$(jq -r '.refreshToken // empty' <<< "$body" 2>/dev/null || true)
  [ -n "$token" ] && [ -n "$(jq -r '.accessToken // empty' <<< "$body")" ] || fail "login failed: $body"
  echo "$token"
}

# Trades $TOKEN for its successor, in TOKEN; fails unless a new refresh token comes back.
refresh() {
  local body
  body=$(curl -s "$GW/auth/refresh" -H 'Content-Type: application/json' -d "{\"refreshToken\":\"$TOKEN\"}")
  [[ $body =~ \"refreshToken\":\"([^\"]+)\" ]] || fail "refresh $1 answered no refresh token: $body"
  [ "${BASH_REMATCH[1]}" != "$TOKEN" ] || fail "refresh $1 answered the same refresh token"
  TOKEN=${BASH_REMATCH[1]}
}

mem() { rcli memory usage "$1" samples 0; }

# The hash's longest value and its field, as "<bytes> B (<field>)": past hash-max-listpack-value, Redis turns
# the compact listpack into a hashtable.
longest_value() {
  local field len best=-1 name=''
  while read -r field; do
    len=$(rcli hstrlen "$1" "$field")
    if [ "$len" -gt "$best" ]; then best=$len name=$field; fi
  done < <(rcli hkeys "$1")
  echo "$best B ($name)"
}

# One row of the family table: state, MEMORY USAGE, fields, longest value, encoding, generation.
family_row() {
  local key=$1 label=$2 bytes
  bytes=$(mem "$key")
  [ -n "$bytes" ] || fail "no key $key ($label)"
  FAMILY_BYTES[$label]=$bytes
  printf '| %s | %s B | %s | %s | %s | %s |\n' "$label" "$bytes" "$(rcli hlen "$key")" "$(longest_value "$key")" \
    "$(rcli object encoding "$key")" "$(rcli hget "$key" gen)" >> "$WORK/family.md"
}

declare -A FAMILY_BYTES
TOKEN=$(login)
FAMILY_ID=${TOKEN%%.*}
FAMILY=tollgate:rt:{$FAMILY_ID}:family
[ "$(rcli exists "$FAMILY")" = 1 ] || fail "after login, no key $FAMILY in Redis"
mapfile -t INDEXES < <(rcli --scan --pattern 'tollgate:user:*:sessions')
[ "${#INDEXES[@]}" = 1 ] || fail "expected one user index, found: ${INDEXES[*]:-none}"
INDEX=${INDEXES[0]}

: > "$WORK/family.md"
family_row "$FAMILY" "after login (0 refreshes)"
echo "refreshing $REFRESHES times" >&2
HALF=$(( REFRESHES / 2 ))
started=$(date +%s%N)
for i in $(seq 1 "$REFRESHES"); do
  refresh "$i"
  [ "${TOKEN%%.*}" = "$FAMILY_ID" ] || fail "refresh $i answered a token of another session: $TOKEN"
  case $i in 1|"$HALF"|"$REFRESHES") family_row "$FAMILY" "after $i refresh$([ "$i" = 1 ] || echo es)" ;; esac
done
REFRESH_MS=$(( ($(date +%s%N) - started) / 1000000 ))
FAMILY_PTTL=$(rcli pttl "$FAMILY")
INDEX_PTTL=$(rcli pttl "$INDEX")
INDEX_BYTES=$(mem "$INDEX")
INDEX_ENCODING=$(rcli object encoding "$INDEX")

# The real hash as Redis serializes it, binary: through a socket of our own, not through redis-cli's output.
cat > "$WORK/resp.py" <<'PY'
import os, secrets, socket, sys, time

def command(*args):
    out = [b'*%d\r\n' % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b'$%d\r\n%s\r\n' % (len(a), a))
    return b''.join(out)

def dump(port, key):
    """DUMP over a plain socket; writes the payload (binary) to stdout."""
    s = socket.create_connection(('127.0.0.1', int(port)))
    s.sendall(command('DUMP', key))
    f = s.makefile('rb')
    head = f.readline()
    if not head.startswith(b'$') or head.startswith(b'$-1'):
        sys.exit('DUMP %s answered %r' % (key, head))
    n = int(head[1:])
    payload = f.read(n)
    if len(payload) != n or f.read(2) != b'\r\n':
        sys.exit('DUMP %s: short read' % key)
    sys.stdout.buffer.write(payload)

def copies(payload_file, n, family_ttl, index_ttl, sample_file):
    """The RESP protocol for n sessions: RESTORE of the family under a fresh id, ZADD to an index of its own,
    PEXPIRE of that index. Writes the first and the last session's keys to sample_file."""
    payload = open(payload_file, 'rb').read()
    n, family_ttl, index_ttl = int(n), max(int(family_ttl), 0), int(index_ttl)
    now = int(time.time() * 1000)
    out = sys.stdout.buffer
    chunk, samples = [], []
    for i in range(n):
        family_id = secrets.token_urlsafe(16)          # 22 base64url characters, as RefreshTokenCodec makes
        family = 'tollgate:rt:{%s}:family' % family_id
        index = 'tollgate:user:{%s}:sessions' % secrets.token_urlsafe(16)
        chunk.append(command('RESTORE', family, family_ttl, payload))
        chunk.append(command('ZADD', index, now, family_id))
        if index_ttl > 0:
            chunk.append(command('PEXPIRE', index, index_ttl))
        if i in (0, n - 1):
            samples.append('%s %s' % (family, index))
        if len(chunk) >= 3000:
            out.write(b''.join(chunk)); chunk = []
    out.write(b''.join(chunk))
    with open(sample_file, 'w') as f:
        f.write('\n'.join(samples) + '\n')

{'dump': dump, 'copies': copies}[sys.argv[1]](*sys.argv[2:])
PY
python3 "$WORK/resp.py" dump "$REDIS_PORT" "$FAMILY" > "$WORK/family.dump"
DUMP_BYTES=$(stat -c %s "$WORK/family.dump")

# A second session, ended by logout: its revocation marker.
TOKEN2=$(login)
FAMILY2_ID=${TOKEN2%%.*}
code=$(curl -s -o "$WORK/logout.out" -w '%{http_code}' "$GW/auth/logout" -H 'Content-Type: application/json' \
  -d "{\"refreshToken\":\"$TOKEN2\"}")
[ "$code" = 204 ] || fail "logout answered $code: $(cat "$WORK/logout.out")"
REVOKED=tollgate:rt:{$FAMILY2_ID}:revoked
[ "$(rcli exists "tollgate:rt:{$FAMILY2_ID}:family")" = 0 ] || fail "after logout, the family of $FAMILY2_ID is still there"
[ "$(rcli exists "$REVOKED")" = 1 ] || fail "after logout, no revocation marker $REVOKED"
REVOKED_BYTES=$(mem "$REVOKED")
REVOKED_PTTL=$(rcli pttl "$REVOKED")
REVOKED_ENCODING=$(rcli object encoding "$REVOKED")
[ "$(rcli exists "$FAMILY")" = 1 ] || fail "the first session is gone after the second one's logout"

# The bulk copy.
echo "restoring $SESSIONS copies" >&2
KEYS_BEFORE=$(rcli dbsize)
used_memory() { rcli info memory | tr -d '\r' | sed -n 's/^used_memory://p'; }
USED_BEFORE=$(used_memory)
started=$(date +%s%N)
python3 "$WORK/resp.py" copies "$WORK/family.dump" "$SESSIONS" "$FAMILY_PTTL" "$INDEX_PTTL" "$WORK/samples.txt" \
  | rcli --pipe > "$WORK/pipe.out" 2>&1 || fail "redis-cli --pipe failed: $(cat "$WORK/pipe.out")"
PIPE_MS=$(( ($(date +%s%N) - started) / 1000000 ))
COMMANDS=$(( SESSIONS * ( INDEX_PTTL > 0 ? 3 : 2 ) ))
grep -q "errors: 0, replies: $COMMANDS\$" "$WORK/pipe.out" \
  || fail "redis-cli --pipe: expected errors: 0, replies: $COMMANDS; got: $(cat "$WORK/pipe.out")"
USED_AFTER=$(used_memory)
KEYS_AFTER=$(rcli dbsize)
[ $(( KEYS_AFTER - KEYS_BEFORE )) = $(( 2 * SESSIONS )) ] \
  || fail "expected $(( 2 * SESSIONS )) new keys, got $(( KEYS_AFTER - KEYS_BEFORE ))"

# Cross-check: MEMORY USAGE of a few copies (it counts the key and its value, not the expires table).
: > "$WORK/samples.md"
while read -r family index; do
  [ "$(rcli hget "$family" gen)" = "$(rcli hget "$FAMILY" gen)" ] || fail "copy $family differs from the original"
  printf '| %s | %s B | %s | %s B | %s |\n' "$family" "$(mem "$family")" "$(rcli pttl "$family")" \
    "$(mem "$index")" "$(rcli pttl "$index")" >> "$WORK/samples.md"
done < "$WORK/samples.txt"

PER_SESSION=$(awk -v d=$(( USED_AFTER - USED_BEFORE )) -v n="$SESSIONS" 'BEGIN { printf "%.1f", d / n }')
growth=$(( ${FAMILY_BYTES["after $REFRESHES refreshes"]} - ${FAMILY_BYTES["after 1 refresh"]} ))

cat <<REPORT
# Redis memory of a Tollgate session

- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- jar: \`$(basename "$JAR")\` ($(sha256sum "$JAR" | cut -c1-12), built $(date -u -r "$JAR" '+%Y-%m-%d %H:%M UTC'))
- redis: $(redis-server --version), $(rcli config get hash-max-listpack-value | tail -n 1 | sed 's/^/hash-max-listpack-value /'), $(rcli config get zset-max-listpack-entries | tail -n 1 | sed 's/^/zset-max-listpack-entries /')
- $(java -version 2>&1 | head -n 1)

## One session (\`MEMORY USAGE <key> SAMPLES 0\`)

Family hash \`tollgate:rt:{$FAMILY_ID}:family\` of one login as alice; $REFRESHES refreshes in ${REFRESH_MS} ms,
each answering a new refresh token.

| state | family hash | fields | longest value | encoding | gen |
|---|---|---|---|---|---|
$(cat "$WORK/family.md")

Growth from 1 to $REFRESHES refreshes: $growth B$( [ "$growth" = 0 ] && echo ' (constant: the hash keeps the current token, its predecessor and a generation, never a history)').
The family's PTTL after the last refresh: $FAMILY_PTTL ms; its DUMP: $DUMP_BYTES B.

| other key | MEMORY USAGE | encoding | PTTL |
|---|---|---|---|
| user index \`$INDEX\` (1 session) | $INDEX_BYTES B | $INDEX_ENCODING | $INDEX_PTTL ms |
| revocation marker \`$REVOKED\` (after logout) | $REVOKED_BYTES B | $REVOKED_ENCODING | $REVOKED_PTTL ms |

## A million sessions

$SESSIONS copies of the family hash after $REFRESHES refreshes (RESTORE with its PTTL), each with a user index of
its own (ZADD + PEXPIRE with the index's PTTL: one user per session, the worst case), through redis-cli --pipe
($COMMANDS commands, 0 errors, ${PIPE_MS} ms).

| | |
|---|---|
| used_memory before | $USED_BEFORE B ($KEYS_BEFORE keys) |
| used_memory after | $USED_AFTER B ($KEYS_AFTER keys) |
| per session (family + index) | $PER_SESSION B |
| 1,000,000 sessions | $(awk -v b="$PER_SESSION" 'BEGIN { printf "%.0f MB (%.0f MiB)", b, b * 1e6 / 1048576 }') |

Cross-check, MEMORY USAGE of copies (counts key, value and dict entry; not the expires table nor the keyspace's
bucket arrays, which used_memory includes):

| copy | family hash | PTTL | its index | PTTL |
|---|---|---|---|---|
$(cat "$WORK/samples.md")
REPORT
