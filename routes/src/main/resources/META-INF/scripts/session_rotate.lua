-- Trades a refresh token for its successor, atomically: a token is consumed exactly once. The session's state
-- stays the same size however often it rotates: the current token's hash, its predecessor's, and a generation.
-- KEYS[1] tollgate:rt:{familyId}:family  hash: user, roles, createdAt, lastRefreshedAt, familyExpiresAt, gen,
--         current, currentExpiresAt, key, and after a rotation previous, rotatedAt, successor (the salt it was
--         derived from)
-- ARGV[1] presented generation, ARGV[2] hash of the presented nonce, ARGV[3] now (epoch ms), ARGV[4] ttl (ms),
-- ARGV[5] reuse grace (ms), ARGV[6] hash of the successor's nonce, ARGV[7] the salt the successor is derived from,
-- ARGV[8] binding policy ('audit' or 'enforce'), ARGV[9..] the presenting client's facts: check, value, ...
-- Returns {'ROTATED', user, roles, expiresAt, key, failed checks}
--       | {'RETRIED', user, roles, expiresAt, key, successor's salt, failed checks}
--       | {'MISMATCH', user, roles, failed checks} (enforce: nothing rotated; the caller ends the session)
--       | {'SUSPECT', key} (an earlier generation: reuse if its tag verifies) | {'INVALID'}
-- failed checks: the bound checks whose value differs from the login's, comma-separated, '' for none
local family = KEYS[1]
local presented, now, ttl, grace = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])

local f = redis.call('HMGET', family, 'user', 'roles', 'familyExpiresAt', 'gen', 'current', 'currentExpiresAt',
  'previous', 'rotatedAt', 'successor', 'key')
local user, roles = f[1], f[2]
if not user then
  return {'INVALID'}
end
local currentExpiresAt = tonumber(f[6])
if currentExpiresAt <= now then
  -- the one live token has expired, so has the session (the key's own ttl may lag behind a skewed clock)
  redis.call('DEL', family)
  return {'INVALID'}
end

-- the checks recorded at login that the presenting client fails
local function mismatches()
  local failed = {}
  for i = 9, #ARGV - 1, 2 do
    local recorded = redis.call('HGET', family, 'b:' .. ARGV[i])
    if recorded and recorded ~= redis.sha1hex(f[10] .. '\n' .. ARGV[i] .. '\n' .. ARGV[i + 1]) then
      failed[#failed + 1] = ARGV[i]
    end
  end
  return table.concat(failed, ',')
end

local gen, current = tonumber(ARGV[1]), tonumber(f[4])
local isCurrent = gen == current and presented == f[5]
local isRetry = not isCurrent and grace > 0 and gen == current - 1 and presented == f[7]
  and now - tonumber(f[8]) < grace
local failed = ''
if isCurrent or isRetry then
  failed = mismatches()
  if failed ~= '' and ARGV[8] == 'enforce' then
    return {'MISMATCH', user, roles, failed}
  end
end

if isCurrent then
  local expiresAt = math.min(now + ttl, tonumber(f[3]))
  redis.call('HSET', family, 'gen', string.format('%d', current + 1), 'current', ARGV[6],
    'currentExpiresAt', string.format('%d', expiresAt), 'previous', presented, 'rotatedAt', ARGV[3],
    'successor', ARGV[7], 'lastRefreshedAt', ARGV[3])
  -- relative ttl: immune to skew between this clock and the Redis server's
  redis.call('PEXPIRE', family, expiresAt - now)
  return {'ROTATED', user, roles, string.format('%d', expiresAt), f[10], failed}
end

if isRetry then
  -- a write, so that a WAIT after this script (tollgate.redis.wait-replicas) also covers the rotation it repeats,
  -- which may have been made on another connection: replication is in order, WAIT counts this connection's last write
  redis.call('HSET', family, 'lastRefreshedAt', ARGV[3])
  return {'RETRIED', user, roles, f[6], f[10], f[9], failed}
end

if gen < current then
  return {'SUSPECT', f[10]}
end
return {'INVALID'}
