-- Refresh throughput over independent sessions: run with -tN -cN, so that each thread owns one connection and
-- one session. REFRESH_TOKENS holds N refresh tokens (space-separated, one login each); every request presents
-- the refresh token of the previous answer, as a client does.
dofile(os.getenv("EDGE_DIR") .. "/report.lua")

local tokens = {}
for token in string.gmatch(os.getenv("REFRESH_TOKENS") or "", "%S+") do
  tokens[#tokens + 1] = token
end
local threads = 0

function setup(thread)
  threads = threads + 1
  assert(tokens[threads], "fewer REFRESH_TOKENS than threads")
  thread:set("token", tokens[threads])
end

function request()
  return wrk.format("POST", "/auth/refresh",
    { ["Content-Type"] = "application/json", ["User-Agent"] = os.getenv("BENCH_USER_AGENT") },
    '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    token = body:match('"refreshToken"%s*:%s*"([^"]+)"') or token
  end
end
