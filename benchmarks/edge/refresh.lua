-- Refresh throughput over independent sessions: run with -tN -cN, so that each thread owns one connection and
-- one session. REFRESH_TOKENS holds N refresh tokens (space-separated, one login each); every request presents
-- the refresh token of the previous answer, as a client does. With PROOF_FILE (a pattern with one %d, the thread's
-- number from 1) each refresh also sends the next DPoP proof of that thread's file (dpop-proofs.mjs).
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
  thread:set("number", threads)
end

local proofs = nil

function request()
  local headers = { ["Content-Type"] = "application/json", ["User-Agent"] = os.getenv("BENCH_USER_AGENT") }
  if os.getenv("PROOF_FILE") then
    proofs = proofs or assert(io.open(string.format(os.getenv("PROOF_FILE"), number), "r"))
    headers["DPoP"] = assert(proofs:read("*l"), "PROOF_FILE ran out of proofs")
  end
  return wrk.format("POST", "/auth/refresh", headers, '{"refreshToken":"' .. token .. '"}')
end

function response(status, headers, body)
  if status == 200 then
    token = body:match('"refreshToken"%s*:%s*"([^"]+)"') or token
  end
end
