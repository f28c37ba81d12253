-- Shared by the scripts (dofile): prints one machine-readable line at the end of a run.
-- "requests" counts answered requests of every status; "refused" those answered >= 400.
function report(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    "HALLQ_WRK {\"requests\": %d, \"seconds\": %.3f, \"p50_ms\": %.2f, \"p99_ms\": %.2f, "
      .. "\"refused\": %d, \"failed\": %d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status, failed))
end
