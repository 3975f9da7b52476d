-- wrk: POST a fresh code per request to /api/v1/events/{id}/check-ins, rotating through the bench's
-- tokens (each may make 1,200 requests a minute). Each thread takes its own slice of the codes, so every
-- request is a first check-in (200); a 409 would mean the codes ran out.
local codes, tokens = {}, {}
local next_code, next_token = 0, 0
local thread_index = 0
local threads = 0
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  threads = counter
end

function init(args)
  local data = os.getenv("KEXIE_BENCH_DATA")
  for line in io.lines(data .. "/codes.txt") do codes[#codes + 1] = line end
  for line in io.lines(data .. "/tokens.txt") do tokens[#tokens + 1] = line end
  local parts = tonumber(os.getenv("KEXIE_BENCH_THREADS") or "1")
  local slice = math.floor(#codes / parts)
  next_code = id * slice
  next_token = id * math.floor(#tokens / parts)
end

function request()
  next_code = next_code + 1
  next_token = next_token % #tokens + 1
  local body = '{"code": "' .. codes[next_code] .. '"}'
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[next_token],
  }, body)
end
