-- Ends an admitted login attempt: no longer in flight; a failure is counted for the pair and the address (locking
-- either past its limit, each further lock twice as long as the one before, capped); a success resets the pair.
-- KEYS as login_admit.lua
-- ARGV[1] result: FAILED, SUCCEEDED or NOT_COUNTED, ARGV[2] now (epoch ms), ARGV[3] failure window (ms),
-- ARGV[4] max failures per pair, ARGV[5] max failures per address, ARGV[6] first lock-out (ms),
-- ARGV[7] longest lock-out (ms)
-- Returns {'OK'}
local now, window = tonumber(ARGV[2]), tonumber(ARGV[3])
local lockout, maxLockout = tonumber(ARGV[6]), tonumber(ARGV[7])

local function release(key)
  local f = redis.call('HMGET', key, 'count', 'endsAt')
  local count = tonumber(f[1]) or 0
  if count <= 1 or (tonumber(f[2]) or 0) <= now then
    redis.call('DEL', key)
  else
    redis.call('HSET', key, 'count', string.format('%d', count - 1))
  end
end

local function fail(key, max)
  local f = redis.call('HMGET', key, 'failures', 'windowEnds', 'lockedUntil', 'locks')
  local failures, windowEnds = tonumber(f[1]) or 0, tonumber(f[2]) or 0
  local lockedUntil, locks = tonumber(f[3]) or 0, tonumber(f[4]) or 0
  if windowEnds <= now then
    failures = 0
    windowEnds = now + window
  end
  failures = failures + 1
  if failures >= max then
    locks = locks + 1
    lockedUntil = now + math.min(lockout * 2 ^ math.min(locks - 1, 30), maxLockout)
    failures = 0
  end
  redis.call('HSET', key, 'failures', string.format('%d', failures), 'windowEnds', string.format('%d', windowEnds),
    'lockedUntil', string.format('%d', lockedUntil), 'locks', string.format('%d', locks))
  -- remembered one window past its last lock, so that the next lock doubles
  redis.call('PEXPIRE', key, string.format('%d', math.max(windowEnds, lockedUntil + window) - now))
end

release(KEYS[2])
release(KEYS[4])
if ARGV[1] == 'SUCCEEDED' then
  redis.call('DEL', KEYS[1])
elseif ARGV[1] == 'FAILED' then
  fail(KEYS[1], tonumber(ARGV[4]))
  fail(KEYS[3], tonumber(ARGV[5]))
end
return {'OK'}
