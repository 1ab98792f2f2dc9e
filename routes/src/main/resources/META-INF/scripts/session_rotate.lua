-- Trades a refresh token for its successor, atomically: a token is consumed exactly once, and only in its one
-- spelling. The session's state stays the same size however often it rotates: the current token's hash, its
-- predecessor's, and a generation.
-- KEYS[1] tollgate:rt:{familyId}:family  hash: user, roles, createdAt, lastRefreshedAt, familyExpiresAt, gen,
--         current, currentExpiresAt, key, v2 (the first generation whose tag is of the current format; absent in a
--         session stored by the previous format), jkt (the thumbprint of the DPoP key the session is bound to; absent
--         for a bearer session), and after a rotation previous, rotatedAt, successor (the salt it was derived from),
--         and after a rotation whose answer was lost, unconfirmed (the generation it made)
-- ARGV[1] presented generation, ARGV[2] hash of the presented nonce, ARGV[3] presented tag (hex), ARGV[4] now (epoch
-- ms), ARGV[5] ttl (ms), ARGV[6] reuse grace (ms), ARGV[7] hash of the successor's nonce, ARGV[8] the salt the
-- successor is derived from, ARGV[9] binding policy ('audit' or 'enforce'), ARGV[10] '1' when the gateway has checked
-- the presented tag (one of the previous format, which only it can check), else '0', ARGV[11] 'rotate', or 'mark':
-- the caller's rotation ran but its answer never reached the client, ARGV[12] the thumbprint of the key the refresh's
-- DPoP proof was signed with ('' without a proof), ARGV[13..] the presenting client's facts: check, value, ...
-- Returns {'ROTATED', user, roles, expiresAt, successor's tag, failed checks, jkt}
--       | {'RETRIED', user, roles, expiresAt, successor's salt, failed checks, successor's tag, key, jkt}: the tag is ''
--         and the key given when the successor has a tag of the previous format (handed out before the upgrade)
--       | {'KEY_MISMATCH', user, roles, jkt} (a bound session without a proof by its key: nothing rotated; under enforce
--         the caller ends the session)
--       | {'MISMATCH', user, roles, failed checks} (enforce: nothing rotated; the caller ends the session)
--       | {'REUSED'} (an earlier token of the session: the caller ends it)
--       | {'VERIFY', key} (a tag of the previous format: the caller checks it and runs this again saying so)
--       | {'MARKED'} | {'UNCHANGED'} (mark) | {'INVALID'}
-- failed checks: the bound checks whose value differs from the login's, comma-separated, '' for none; jkt: the
-- session's key thumbprint, '' for a bearer session
local family = KEYS[1]
local familyId = string.match(family, '{(.-)}')
local gen, presented, presentedTag = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local now, ttl, grace = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local verified, mode = ARGV[10] == '1', ARGV[11]

local f = redis.call('HMGET', family, 'user', 'roles', 'familyExpiresAt', 'gen', 'current', 'currentExpiresAt',
  'previous', 'rotatedAt', 'successor', 'key', 'v2', 'unconfirmed', 'jkt')
local user, roles, key = f[1], f[2], f[10]
-- a session stored without the field is a bearer session
local jkt = f[13] or ''
if not user then
  return {'INVALID'}
end
if tonumber(f[6]) <= now then
  -- the one live token has expired, so has the session (the key's own ttl may lag behind a skewed clock)
  redis.call('DEL', family)
  return {'INVALID'}
end
local current = tonumber(f[4])
local isCurrent = gen == current and presented == f[5]
if not isCurrent and gen >= current then
  return {'INVALID'}
end

-- HMAC-SHA1 (RFC 2104) under the session's key: the tag of the current format, as RefreshTokenCodec computes it
local function unhex(hex)
  return (string.gsub(hex, '%x%x', function(byte) return string.char(tonumber(byte, 16)) end))
end
local inner, outer = {}, {}
for i = 1, 64 do
  local byte = string.byte(key, i) or 0
  inner[i] = string.char(bit.bxor(byte, 0x36))
  outer[i] = string.char(bit.bxor(byte, 0x5c))
end
inner, outer = table.concat(inner), table.concat(outer)
local function tagOf(generation, nonceHash)
  local message = 'tollgate/tag/v2\n' .. familyId .. '\n' .. string.format('%d', generation) .. '\n' .. nonceHash
  return string.sub(redis.sha1hex(outer .. unhex(redis.sha1hex(inner .. message))), 1, 32)
end

-- the presented token is the current one or an earlier one by its generation and nonce: its tag decides whether the
-- session issued it in this spelling
local v2 = tonumber(f[11])
if v2 and gen >= v2 then
  if presentedTag ~= tagOf(gen, presented) then
    return {'INVALID'}
  end
elseif not verified then
  if mode == 'mark' then
    return {'UNCHANGED'}
  end
  return {'VERIFY', key}
end

local isPredecessor = gen == current - 1 and presented == f[7]
-- a retry: within the grace window, or its rotation's answer never reached the client and the successor that rotation
-- made is still current
local isRetry = isPredecessor and ((grace > 0 and now - tonumber(f[8]) < grace) or tonumber(f[12]) == current)

if mode == 'mark' then
  -- the caller's rotation ran (it made the current token: its salt) or its retry did (a retry at the time): the token
  -- the client still holds stays a retry until the successor is rotated, which moves the generation past the mark
  if isPredecessor and (isRetry or f[9] == ARGV[8]) then
    redis.call('HSET', family, 'unconfirmed', f[4])
    return {'MARKED'}
  end
  return {'UNCHANGED'}
end

-- the checks recorded at login that the presenting client fails
local function mismatches()
  local failed = {}
  for i = 13, #ARGV - 1, 2 do
    local recorded = redis.call('HGET', family, 'b:' .. ARGV[i])
    if recorded and recorded ~= redis.sha1hex(key .. '\n' .. ARGV[i] .. '\n' .. ARGV[i + 1]) then
      failed[#failed + 1] = ARGV[i]
    end
  end
  return table.concat(failed, ',')
end

local failed = ''
if isCurrent or isRetry then
  -- RFC 9449 §5: a bound session's refresh token is only good with a proof by the session's key (Rotations.keyMatches)
  if jkt ~= '' and jkt ~= ARGV[12] then
    return {'KEY_MISMATCH', user, roles, jkt}
  end
  failed = mismatches()
  if failed ~= '' and ARGV[9] == 'enforce' then
    return {'MISMATCH', user, roles, failed}
  end
end

if isCurrent then
  local next = current + 1
  local expiresAt = math.min(now + ttl, tonumber(f[3]))
  redis.call('HSET', family, 'gen', string.format('%d', next), 'current', ARGV[7],
    'currentExpiresAt', string.format('%d', expiresAt), 'previous', presented, 'rotatedAt', ARGV[4],
    'successor', ARGV[8], 'lastRefreshedAt', ARGV[4])
  if not v2 then
    -- a session of the previous format moves to the current one: its successor is the first token of it
    redis.call('HSET', family, 'v2', string.format('%d', next))
  end
  -- relative ttl: immune to skew between this clock and the Redis server's
  redis.call('PEXPIRE', family, expiresAt - now)
  return {'ROTATED', user, roles, string.format('%d', expiresAt), tagOf(next, ARGV[7]), failed, jkt}
end

if isRetry then
  -- a write, so that a WAIT after this script (tollgate.redis.wait-replicas) also covers the rotation it repeats,
  -- which may have been made on another connection: replication is in order, WAIT counts this connection's last write
  redis.call('HSET', family, 'lastRefreshedAt', ARGV[4])
  if v2 and current >= v2 then
    return {'RETRIED', user, roles, f[6], f[9], failed, tagOf(current, f[5]), '', jkt}
  end
  return {'RETRIED', user, roles, f[6], f[9], failed, '', key, jkt}
end

-- an earlier token of this session, in its one spelling, and not a retry: reuse
return {'REUSED'}
