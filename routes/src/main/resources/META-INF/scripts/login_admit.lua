-- Admits a login attempt, or tells how long its (username, address) pair or its address is locked.
-- An admitted attempt counts as in flight until login_end.lua: failures plus attempts in flight may not pass the
-- limits, so that concurrent attempts cannot get past them before their failures are counted.
-- KEYS[1] pair state (hash: failures, windowEnds, lockedUntil, locks), KEYS[2] pair in flight (hash: count,
-- endsAt), KEYS[3] address state, KEYS[4] address in flight; all around the address's hash tag
-- ARGV[1] now (epoch ms), ARGV[2] max failures per pair, ARGV[3] max failures per address,
-- ARGV[4] ms an attempt counts as in flight at most
-- Returns {'ADMITTED'} | {'LOCKED', ms until the lock ends} | {'BUSY'} (the limit is taken by attempts in flight)
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[4])

local function state(key)
  local f = redis.call('HMGET', key, 'failures', 'windowEnds', 'lockedUntil')
  local failures = tonumber(f[1]) or 0
  if (tonumber(f[2]) or 0) <= now then
    failures = 0
  end
  return failures, tonumber(f[3]) or 0
end

local pairFailures, pairLocked = state(KEYS[1])
local addressFailures, addressLocked = state(KEYS[3])
local wait = math.max(pairLocked, addressLocked) - now
if wait > 0 then
  return {'LOCKED', string.format('%d', wait)}
end
-- attempts in flight: a count and when it stops counting (by this clock, not the Redis server's)
local function inFlight(key)
  local f = redis.call('HMGET', key, 'count', 'endsAt')
  if (tonumber(f[2]) or 0) <= now then
    return 0
  end
  return tonumber(f[1]) or 0
end

local function admit(key, count)
  redis.call('HSET', key, 'count', string.format('%d', count + 1), 'endsAt', string.format('%d', now + ttl))
  redis.call('PEXPIRE', key, ARGV[4])
end

local pairInFlight, addressInFlight = inFlight(KEYS[2]), inFlight(KEYS[4])
if pairFailures + pairInFlight >= tonumber(ARGV[2]) or addressFailures + addressInFlight >= tonumber(ARGV[3]) then
  return {'BUSY'}
end
admit(KEYS[2], pairInFlight)
admit(KEYS[4], addressInFlight)
return {'ADMITTED'}
