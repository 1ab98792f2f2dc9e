# Shared by run.sh and profile.sh (sourced, not run): processes on 127.0.0.1 that the caller's trap stops,
# keys, configuration files, and the wrk measurement of one case.
# The caller sets WORK (a temp dir), EDGE_DIR (this folder) and calls `trap edge_cleanup EXIT` first.

EDGE_PIDS=()
EDGE_PORTS=()
CLK_TCK=$(getconf CLK_TCK)

edge_cleanup() {
  local pid
  for pid in "${EDGE_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${EDGE_PIDS[@]}"; do
    # a JVM finishes its shutdown hooks within seconds; never leave one behind
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "${KEEP:-0}" = 1 ]; then
    echo "kept: $WORK" >&2
  else
    rm -rf "$WORK"
  fi
}

# The gateway jar to measure: $1 if given, else the one in gateway-app/target. Sets JAR; exits 2 if there is none.
# Needs ROOT (the repository's root).
gateway_jar() {
  if [ $# -ge 1 ] && [ -n "$1" ]; then
    JAR=$(realpath "$1")
  else
    JAR=$(find_gateway_jar)
  fi
  [ -n "$JAR" ] && [ -f "$JAR" ] || { echo "no gateway jar: ${JAR:-gateway-app/target/gateway-app-*.jar} (build it or pass one)" >&2; exit 2; }
}

find_gateway_jar() {
  find "$ROOT/gateway-app/target" -maxdepth 1 -name 'gateway-app-*.jar' \
    ! -name '*-sources.jar' ! -name '*-javadoc.jar' 2>/dev/null | head -n 1
}

edge_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install -y $tool)" >&2; exit 2; }
  done
}

# A TCP port free on 127.0.0.1 now and not handed out before by this script.
free_port() {
  local port
  while :; do
    port=$(( 20000 + RANDOM % 30000 ))
    [[ " ${EDGE_PORTS[*]} " == *" $port "* ]] && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    EDGE_PORTS+=("$port")
    echo "$port"
    return
  done
}

# Keys for every algorithm, made fresh for this run: RSA 2048, EC P-256, Ed25519 (PKCS#8 PEM), HS256 secret.
make_keys() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/rs256.pem" 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$WORK/es256.pem" 2>/dev/null
  openssl genpkey -algorithm ed25519 -out "$WORK/eddsa.pem" 2>/dev/null
  openssl rand -base64 32 > "$WORK/hs256.secret"
}

# nginx as the upstream and the login user service, one worker process, in the foreground, logs off.
# /login answers a new user id for each login (so no per-user session limit ever applies);
# /api/whoami and /public/whoami echo the identity headers, for the sanity checks.
start_nginx() {
  local port=$1 cpu=${2:-}
  mkdir -p "$WORK/nginx/logs"
  cat > "$WORK/nginx/nginx.conf" <<EOF
worker_processes 1;
master_process off;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 600s;
  server {
    listen 127.0.0.1:$port;
    default_type text/plain;
    location = /login { default_type application/json; return 200 '{"userId":"u-\$request_id","roles":["user"]}'; }
    location ~ /whoami\$ { return 200 '\$http_x_user_id|\$http_x_user_roles'; }
    location / { return 200 'ok'; }
  }
}
EOF
  ${cpu:+taskset -c "$cpu"} nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
  NGINX_PID=$!
  EDGE_PIDS+=("$NGINX_PID")
  wait_http "http://127.0.0.1:$port/" 200 20 "$NGINX_PID" "$WORK/nginx/logs/error.log"
}

start_redis() {
  local port=$1
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --daemonize no \
    --logfile "$WORK/redis.log" --dir "$WORK" &
  REDIS_PID=$!
  EDGE_PIDS+=("$REDIS_PID")
  for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis-server did not start: see $WORK/redis.log" >&2
  exit 1
}

# Waits until $1 answers status $2 (up to $3 seconds) while process $4 lives; else shows its log $5 and fails.
wait_http() {
  local url=$1 status=$2 timeout=$3 pid=$4 log=$5 code
  for _ in $(seq 1 $(( timeout * 4 ))); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    [ "$code" = "$status" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "process $pid died before $url answered; last lines of $log:" >&2
      tail -n 40 "$log" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "$url did not answer $status within ${timeout}s (last: $code); last lines of $log:" >&2
  tail -n 40 "$log" >&2
  exit 1
}

# The Tollgate gateway's configuration for one algorithm: explicit keys, the Redis store, routes to nginx.
write_tollgate_config() {
  local file=$1 algorithm=$2 port=$3 management_port=$4 nginx_port=$5 redis_port=$6 signing
  case "$algorithm" in
    HS256) signing="    secret: $(cat "$WORK/hs256.secret")" ;;
    *) local lower
       lower=$(echo "$algorithm" | tr '[:upper:]' '[:lower:]')
       signing="    keys:
      - id: bench-$lower
        private-key: file:$WORK/$lower.pem" ;;
  esac
  cat > "$file" <<EOF
server:
  address: 127.0.0.1
  port: $port
management:
  server:
    address: 127.0.0.1
    port: $management_port
tollgate:
  issuer: $BENCH_ISSUER
  store: redis
  access-token:
    # one token serves the whole run, as a client reuses it for its lifetime
    ttl: 2h
  signing:
    algorithm: $algorithm
$signing
spring:
  data:
    redis:
      host: 127.0.0.1
      port: $redis_port
  cloud:
    gateway:
      server:
        webflux:
          # the gateway's own observation of each proxied request (about 7 us of CPU per request): off, as in the
          # peer, which has no Actuator and so no observation at all; http.server.requests stays on
          observability:
            enabled: false
          routes:
            - id: login
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/auth/login
                - Method=POST
              filters:
                - SetPath=/login
                - IssueTokens
            - id: public
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/public/**
              metadata:
                auth: public
            - id: api
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/api/**
EOF
}

# The bare gateway: the same jar with tollgate.enabled=false and the same public and api routes (no login route: its
# IssueTokens filter is Tollgate's). What a team pays for adding Tollgate is measured against this.
write_bare_config() {
  local file=$1 port=$2 management_port=$3 nginx_port=$4
  cat > "$file" <<EOF
server:
  address: 127.0.0.1
  port: $port
management:
  server:
    address: 127.0.0.1
    port: $management_port
tollgate:
  enabled: false
spring:
  cloud:
    gateway:
      server:
        webflux:
          observability:
            enabled: false
          routes:
            - id: public
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/public/**
            - id: api
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/api/**
EOF
}

# The peer's configuration: the same routes (no login), the same key (HS256) or the Tollgate gateway's JWK Set.
write_peer_config() {
  local file=$1 algorithm=$2 port=$3 nginx_port=$4 tollgate_port=$5
  cat > "$file" <<EOF
server:
  address: 127.0.0.1
  port: $port
peer:
  issuer: $BENCH_ISSUER
  algorithm: $algorithm
  secret: $(cat "$WORK/hs256.secret")
  jwk-set-uri: http://127.0.0.1:$tollgate_port/.well-known/jwks.json
spring:
  cloud:
    gateway:
      server:
        webflux:
          routes:
            - id: public
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/public/**
            - id: api
              uri: http://127.0.0.1:$nginx_port
              predicates:
                - Path=/api/**
EOF
}

# Starts a Spring Boot jar with a config file; sets JVM_PID. $4: extra JVM options (e.g. a profiler agent).
start_jvm() {
  local name=$1 jar=$2 config=$3 extra=${4:-}
  # shellcheck disable=SC2086 # JAVA_OPTS and extra are lists of options
  java $JAVA_OPTS $extra -jar "$jar" --spring.config.additional-location="file:$config" \
    > "$WORK/$name.log" 2>&1 &
  JVM_PID=$!
  EDGE_PIDS+=("$JVM_PID")
}

# A token response's field, from the gateway's own login.
login() {
  local port=$1 field=${2:-accessToken} body
  body=$(curl -s -X POST "http://127.0.0.1:$port/auth/login" -A "$BENCH_USER_AGENT" \
    -H 'Content-Type: application/json' -d '{"username":"bench","password":"bench"}')
  echo "$body" | jq -r ".$field // empty"
}

# The same with a DPoP proof (RFC 9449) by KEY_FILE (dpop-proofs.mjs): a session bound to that key.
# Usage: dpop_login PORT KEY_FILE [FIELD]
dpop_login() {
  local url="http://127.0.0.1:$1/auth/login" proof
  proof=$(node "$EDGE_DIR/dpop-proofs.mjs" proofs "$2" POST "$url" 1)
  curl -s -X POST "$url" -A "$BENCH_USER_AGENT" -H 'Content-Type: application/json' -H "DPoP: $proof" \
    -d '{"username":"bench","password":"bench"}' | jq -r ".${3:-accessToken} // empty"
}

BENCH_USER_AGENT=tollgate-bench

# An issuer shaped like a URL, as OAuth issuers are: Spring Security first tries to read `iss` as a URL and, for
# a plain name, pays for an exception with a stack trace on every token (about 8 µs on this machine).
BENCH_ISSUER=https://tollgate.bench.invalid

# utime + stime of a process, in microseconds.
cpu_us() {
  stat_us < "/proc/$1/stat"
}

# utime + stime of a JVM's JIT compiler threads (C1/C2 CompilerThreadN), in microseconds: with a short warm-up
# they are still busy, and their CPU is not the request path's.
jit_cpu_us() {
  local task total=0
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) total=$(( total + $(stat_us < "$task/stat" 2>/dev/null || echo 0) )) ;;
    esac
  done
  echo "$total"
}

# Fields 14 and 15 (utime, stime) of a /proc stat line on stdin, in microseconds.
stat_us() {
  local stat
  stat=$(cat)
  stat=${stat##*) }  # after the command name, which may hold spaces; field 3 (state) comes first
  awk -v tck="$CLK_TCK" '{ printf "%d\n", ($12 + $13) * 1000000 / tck }' <<< "$stat"
}

# wrk for WARMUP seconds, results discarded. Usage: warm CONNECTIONS THREADS [wrk options...] URL
warm() {
  local connections=$1 threads=$2
  shift 2
  [ "$WARMUP" -gt 0 ] || return 0
  ${WRK_CPU:+taskset -c "$WRK_CPU"} wrk -t"$threads" -c"$connections" -d"${WARMUP}s" "$@" > /dev/null
}

# One measured case: wrk for DURATION seconds with the report script, the process's CPU time around it.
# Appends "<label>\t<rps>\t<p50 µs>\t<p99 µs>\t<CPU µs/req>\t<JIT µs/req>\t<non-2xx>\t<socket errors>\t<requests>"
# to $RESULTS (JIT: the part of the CPU spent by JIT compiler threads).
# Usage: measure LABEL PID CONNECTIONS THREADS [wrk options...] URL
measure() {
  local label=$1 pid=$2 connections=$3 threads=$4
  shift 4
  local before after jit_before jit_after out line
  jit_before=$(jit_cpu_us "$pid")
  before=$(cpu_us "$pid")
  out=$(${WRK_CPU:+taskset -c "$WRK_CPU"} wrk -t"$threads" -c"$connections" -d"${DURATION}s" -s "$EDGE_DIR/report.lua" "$@")
  after=$(cpu_us "$pid")
  jit_after=$(jit_cpu_us "$pid")
  line=$(grep '^RESULT' <<< "$out") || { echo "wrk gave no result for $label:" >&2; echo "$out" >&2; exit 1; }
  # RESULT requests rps p50 p99 non2xx socket_errors
  awk -v label="$label" -v cpu=$(( after - before )) -v jit=$(( jit_after - jit_before )) '{
    printf "%s\t%.0f\t%d\t%d\t%.1f\t%.1f\t%d\t%d\t%d\n", label, $3, $4, $5,
      ($2 > 0 ? cpu / $2 : 0), ($2 > 0 ? jit / $2 : 0), $6, $7, $2
  }' <<< "$line" | tee -a "$RESULTS" >&2
}
