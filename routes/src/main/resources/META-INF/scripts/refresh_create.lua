-- Starts a refresh-token family (a login session).
-- KEYS[1] tollgate:rt:{familyId}:family (KEYS[2], the used set, is passed by every script and not needed here)
-- ARGV[1] user id, ARGV[2] roles (one per line), ARGV[3] family end (epoch ms),
-- ARGV[4] hash of the first token, ARGV[5] its end (epoch ms), ARGV[6] ms until then (the key's ttl)
-- Returns {'CREATED'}, or {'EXISTS'} should a family id ever repeat.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'EXISTS'}
end
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'roles', ARGV[2], 'familyExpiresAt', ARGV[3],
  'current', ARGV[4], 'currentExpiresAt', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {'CREATED'}
