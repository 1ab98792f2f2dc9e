-- Starts a login session (refresh-token family).
-- KEYS[1] tollgate:rt:{familyId}:family
-- ARGV[1] user id, ARGV[2] roles (one per line), ARGV[3] now (epoch ms), ARGV[4] session end (epoch ms),
-- ARGV[5] hash of the first token's nonce, ARGV[6] its end (epoch ms), ARGV[7] the session's tag key,
-- ARGV[8] ms until the first token's end (the key's ttl), ARGV[9] the RFC 7638 thumbprint of the DPoP key the login
-- proved ('' for a bearer session: no field 'jkt' is written, as in sessions stored before DPoP), ARGV[10..]
-- refresh-binding facts: check, value, check, value... each kept only as a hash keyed by the session's key (field
-- 'b:<check>')
-- Returns {'CREATED'}, or {'EXISTS'} should a family id ever repeat.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'EXISTS'}
end
-- v2: every token of the session has a tag of the current format (see session_rotate.lua)
redis.call('HSET', KEYS[1], 'user', ARGV[1], 'roles', ARGV[2], 'createdAt', ARGV[3], 'lastRefreshedAt', ARGV[3],
  'familyExpiresAt', ARGV[4], 'gen', '0', 'current', ARGV[5], 'currentExpiresAt', ARGV[6], 'key', ARGV[7], 'v2', '0')
if ARGV[9] ~= '' then
  redis.call('HSET', KEYS[1], 'jkt', ARGV[9])
end
for i = 10, #ARGV - 1, 2 do
  redis.call('HSET', KEYS[1], 'b:' .. ARGV[i], redis.sha1hex(ARGV[7] .. '\n' .. ARGV[i] .. '\n' .. ARGV[i + 1]))
end
redis.call('PEXPIRE', KEYS[1], ARGV[8])
return {'CREATED'}
