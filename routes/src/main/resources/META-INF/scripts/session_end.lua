-- Ends a session, the one way every session ends: deletes it, leaves a revocation marker that outlives its last
-- access token (read by instances that start later), and publishes the revocation to the running instances.
-- KEYS[1] tollgate:rt:{familyId}:family, KEYS[2] tollgate:rt:{familyId}:revoked
-- ARGV[1] the user it must belong to ('' for any), ARGV[2] family id, ARGV[3] revoked until (epoch ms),
-- ARGV[4] ms until then (the marker's ttl), ARGV[5] the revocation channel
-- Returns {'ENDED', user, roles, jkt ('' for a bearer session)} | {'UNKNOWN'} (no such live session, or not the user's)
local f = redis.call('HMGET', KEYS[1], 'user', 'roles', 'jkt')
if not f[1] or (ARGV[1] ~= '' and ARGV[1] ~= f[1]) then
  return {'UNKNOWN'}
end
redis.call('DEL', KEYS[1])
redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[2] .. ' ' .. ARGV[3])
return {'ENDED', f[1], f[2], f[3] or ''}
