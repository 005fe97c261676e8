-- wrk script for the GET benchmarks, and the shared summary line for submit.lua.
-- done() prints one machine-readable line that run.sh turns into its table:
--   BENCH requests=N seconds=S rps=R p50_us=.. p99_us=.. max_us=.. non2xx3xx=.. connect=.. read=.. write=.. timeout=..
-- It defines no response() callback, so wrk stays as fast as without a script.

function benchSummaryLine(summary, latency)
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   return string.format(
      "BENCH requests=%d seconds=%.2f rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx3xx=%d connect=%d read=%d write=%d timeout=%d",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50), latency:percentile(99), latency.max,
      errors.status, errors.connect, errors.read, errors.write, errors.timeout)
end

function done(summary, latency, requests)
   io.write(benchSummaryLine(summary, latency), "\n")
end
