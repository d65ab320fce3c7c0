-- wrk reporter for bench/api.py: one line with requests, failed requests and latency percentiles (ms).
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.2f %.2f %.2f %.6f\n", summary.requests,
    e.status + e.timeout + e.connect + e.read + e.write,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.duration / 1e6))
end
