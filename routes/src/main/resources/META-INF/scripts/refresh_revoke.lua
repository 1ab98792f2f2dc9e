-- Ends a family (logout) if the presented token is one it ever issued.
-- KEYS[1] tollgate:rt:{familyId}:family, KEYS[2] tollgate:rt:{familyId}:used (see refresh_rotate.lua)
-- ARGV[1] hash of the presented token, ARGV[2] now (epoch ms)
-- Returns {'REVOKED', user, roles} or {'UNKNOWN'}
local f = redis.call('HMGET', KEYS[1], 'user', 'roles', 'current', 'currentExpiresAt')
if not f[1] then
  return {'UNKNOWN'}
end
if tonumber(f[4]) <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'UNKNOWN'}
end
if ARGV[1] ~= f[3] and redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 0 then
  return {'UNKNOWN'}
end
redis.call('DEL', KEYS[1], KEYS[2])
return {'REVOKED', f[1], f[2]}
