-- Trades a refresh token for its successor, atomically: a token is consumed exactly once.
-- KEYS[1] tollgate:rt:{familyId}:family  hash: user, roles, familyExpiresAt, current, currentExpiresAt,
--                                        previous, rotatedAt, successor (sealed under the previous secret)
-- KEYS[2] tollgate:rt:{familyId}:used    set: hashes of every token of the family already rotated
-- ARGV[1] hash of the presented token, ARGV[2] now (epoch ms), ARGV[3] ttl (ms), ARGV[4] reuse grace (ms),
-- ARGV[5] hash of the successor minted by the caller, ARGV[6] that successor sealed under the presented secret
-- Returns {'ROTATED', user, roles, expiresAt} | {'RETRIED', user, roles, expiresAt, sealed successor}
--       | {'REUSED', user, roles} | {'INVALID'}
local family, used = KEYS[1], KEYS[2]
local presented, now, ttl, grace = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])

local f = redis.call('HMGET', family, 'user', 'roles', 'familyExpiresAt', 'current', 'currentExpiresAt',
  'previous', 'rotatedAt', 'successor')
local user, roles = f[1], f[2]
if not user then
  return {'INVALID'}
end
local currentExpiresAt = tonumber(f[5])
if currentExpiresAt <= now then
  -- the one live token has expired, so has the session (the key's own ttl may lag behind a skewed clock)
  redis.call('DEL', family, used)
  return {'INVALID'}
end

if presented == f[4] then
  local expiresAt = math.min(now + ttl, tonumber(f[3]))
  redis.call('HSET', family, 'current', ARGV[5], 'currentExpiresAt', string.format('%d', expiresAt),
    'previous', presented, 'rotatedAt', ARGV[2], 'successor', ARGV[6])
  redis.call('SADD', used, presented)
  -- relative ttls: immune to skew between this clock and the Redis server's
  redis.call('PEXPIRE', family, expiresAt - now)
  redis.call('PEXPIRE', used, expiresAt - now)
  return {'ROTATED', user, roles, string.format('%d', expiresAt)}
end

if grace > 0 and presented == f[6] and now - tonumber(f[7]) < grace then
  return {'RETRIED', user, roles, f[5], f[8]}
end

if redis.call('SISMEMBER', used, presented) == 1 then
  redis.call('DEL', family, used)
  return {'REUSED', user, roles}
end
return {'INVALID'}
