-- wrk: prints the run's figures as one JSON line (BENCH {...}) for scripts/bench-api to read.
-- Microseconds throughout; errors are socket errors, status_errors answers outside 2xx/3xx.
function bench_summary(summary, latency, extra)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"errors":%d,"status_errors":%d%s}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    e.connect + e.read + e.write + e.timeout, e.status, extra or ""))
end

done = function(summary, latency, requests) bench_summary(summary, latency) end

-- Numbers wrk's threads 1, 2, … in the global `name` each sees from init on, and returns them
-- (for done, which reads what each thread counted).
function number_threads(name)
  local threads = {}
  setup = function(thread)
    table.insert(threads, thread)
    thread:set(name, #threads)
  end
  return threads
end
