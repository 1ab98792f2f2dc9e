-- Starts a login session (refresh-token family).
-- KEYS[1] tollgate:rt:{familyId}:family
-- ARGV[1] user id, ARGV[2] roles (one per line), ARGV[3] now (epoch ms), ARGV[4] session end (epoch ms),
-- ARGV[5] hash of the first token's nonce, ARGV[6] its end (epoch ms), ARGV[7] the session's tag key,
-- ARGV[8] ms until the first token's end (the key's ttl)
-- Returns {'CREATED'}, or {'EXISTS'} should a family id ever repeat.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'EXISTS'}
end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'roles', ARGV[2], 'createdAt', ARGV[3], 'lastRefreshedAt', ARGV[3],
  'familyExpiresAt', ARGV[4], 'gen', '0', 'current', ARGV[5], 'currentExpiresAt', ARGV[6], 'key', ARGV[7])
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return {'CREATED'}
