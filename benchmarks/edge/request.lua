-- One request shape for the features benchmark, run with -t1: METHOD, PATH_AND_QUERY, AUTHORIZATION (e.g.
-- "DPoP <access token>"; none when empty), BODY (JSON; login; a %d in it becomes a number counted per request, so
-- that every login names another user and no lock-out from an earlier failure can answer for the user service). With PROOF_FILE, every request sends the next line of
-- that file as its DPoP proof (RFC 9449 §7): proofs made before the run by dpop-proofs.mjs for this method and URL,
-- each accepted once, so the file must outlast the case.
dofile(os.getenv("EDGE_DIR") .. "/report.lua")

local proofs = os.getenv("PROOF_FILE") and assert(io.open(os.getenv("PROOF_FILE"), "r"))
local method = os.getenv("METHOD") or "GET"
local path = os.getenv("PATH_AND_QUERY") or "/api/items"
local body = os.getenv("BODY")
local headers = { ["User-Agent"] = os.getenv("BENCH_USER_AGENT") }
if (os.getenv("AUTHORIZATION") or "") ~= "" then
  headers["Authorization"] = os.getenv("AUTHORIZATION")
end
if body then
  headers["Content-Type"] = "application/json"
end

local counter = 0

function request()
  counter = counter + 1
  if proofs then
    headers["DPoP"] = assert(proofs:read("*l"), "PROOF_FILE ran out of proofs")
  end
  return wrk.format(method, path, headers, body and string.format(body, counter))
end
