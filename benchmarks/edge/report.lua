-- wrk's summary in one parseable line, read by lib.sh's measure():
-- RESULT <requests> <requests/s> <p50 µs> <p99 µs> <non-2xx/3xx answers> <socket errors>
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.1f %d %d %d %d\n", summary.requests,
    summary.requests / summary.duration * 1e6, latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
