#!/usr/bin/env bash
# Where the guarded route's extra cost comes from: the check, or the bytes of the token it carries? One Tollgate
# gateway (HS256), interleaved rounds of three cases (compare.sh with CASES="public padded guarded"):
#   public    GET /public/items, no Authorization
#   padded    GET /public/items with an X-Padding header exactly as long as "Authorization: Bearer <token>"
#             (the request carries the same bytes; nothing checks them)
#   guarded   GET /api/items with the token (checked from the validated-token cache, identity headers added)
# and the gateway's CPU µs per request for each: guarded - padded is what the check itself costs.
#
#   benchmarks/edge/header-cost.sh [gateway jar]   # default gateway-app/target/gateway-app-*.jar; settings as compare.sh
set -euo pipefail
EDGE_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$EDGE_DIR/../.." && pwd)
# shellcheck source=benchmarks/edge/lib.sh
. "$EDGE_DIR/lib.sh"
gateway_jar "${1:-}"
CASES="public padded guarded" ROUNDS=${ROUNDS:-3} exec "$EDGE_DIR/compare.sh" "tollgate|$JAR||"
