-- wrk: each connection (one per thread: run with -t N -c N) is one writer, a group leader who
-- takes papers of their own assignment through the whole chain, one request at a time:
-- draft (POST /api/v1/assignments/{id}/findings) → submit → approve → triage (限期整改).
-- BENCH_WRITERS is "token:assignment,token:assignment,…"; thread n writes as writer n.
-- A paper's version is 1 when drafted and grows by one with each step, so only its id is read
-- from the answer. A refused step starts a new paper (counted in "failed").
dofile(os.getenv("BENCH_LUA_DIR") .. "/summary.lua")

local threads = number_threads("writer")

init = function(args)
  local list = {}
  for item in string.gmatch(os.getenv("BENCH_WRITERS"), "[^,]+") do table.insert(list, item) end
  local entry = list[((writer - 1) % #list) + 1]
  token, assignment = entry:match("([^:]+):(.+)")
  headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  step, id, chains, failed, n = 0, nil, 0, 0, 0
end

request = function()
  if step == 0 then
    n = n + 1
    local body = string.format(
      '{"title":"基准写入底稿%d-%d","manifestation":"以加班费名义向机关人员发放补贴，涉及金额%d万元。","basis":"违反有关规定",'
      .. '"tags":[{"scheme":"six_disciplines","version":1,"entry":"integrity"}]}', writer, n, n % 500 + 1)
    return wrk.format("POST", "/api/v1/assignments/" .. assignment .. "/findings", headers, body)
  elseif step == 1 then
    return wrk.format("POST", "/api/v1/findings/" .. id .. "/steps", headers, '{"step":"submit","version":1}')
  elseif step == 2 then
    return wrk.format("POST", "/api/v1/findings/" .. id .. "/steps", headers, '{"step":"approve","note":"组务会审议同意","version":2}')
  else
    return wrk.format("POST", "/api/v1/findings/" .. id .. "/triage", headers, '{"disposition":"deadline","version":3}')
  end
end

response = function(status, headers, body)
  if status >= 300 then
    failed = failed + 1
    if failed <= 3 then io.stderr:write(string.format("writer %d step %d: %d %s\n", writer, step, status, body)) end
    step = 0
    return
  end
  if step == 0 then id = body:match('"id"%s*:%s*"([^"]+)"') end
  step = step + 1
  if step == 4 then
    step = 0
    chains = chains + 1
  end
end

done = function(summary, latency, requests)
  local total, refused = 0, 0
  for _, t in ipairs(threads) do
    total = total + t:get("chains")
    refused = refused + t:get("failed")
  end
  bench_summary(summary, latency, string.format(',"chains":%d,"failed":%d', total, refused))
end
