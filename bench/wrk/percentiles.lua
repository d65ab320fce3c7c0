-- wrk reporter for bench/api.py: one line with requests, failed requests, latency percentiles (ms),
-- the run's length (s) and the mean latency (ms). wrk counts only answered requests, so a client
-- starved for the whole run hides from the percentiles; bench/api.py compares requests/s × mean
-- latency with the number of clients to catch that.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.2f %.2f %.2f %.6f %.3f\n", summary.requests,
    e.status + e.timeout + e.connect + e.read + e.write,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1e6, latency.mean / 1000))
end
