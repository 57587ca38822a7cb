-- wrk: each connection cycles through the reads of BENCH_MIX, one request at a time, so that a long
-- run serves every read of the benchmark in the same proportion (scripts/bench-api --memory).
-- BENCH_MIX is one read per line: "path<TAB>header name<TAB>header value".
dofile(os.getenv("BENCH_LUA_DIR") .. "/summary.lua")

number_threads("offset")

init = function(args)
  reads = {}
  for line in string.gmatch(os.getenv("BENCH_MIX"), "[^\n]+") do
    local path, name, value = line:match("([^\t]+)\t([^\t]+)\t(.+)")
    table.insert(reads, wrk.format("GET", path, { [name] = value }))
  end
  n = offset
end

request = function()
  n = n + 1
  return reads[(n % #reads) + 1]
end
