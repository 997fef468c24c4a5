-- wrk2 script for benchmarks/service_load.py: each request is one member's change of the
-- setting (PUT, value true/false), members taken in turn from a file of member tokens (one
-- JWT a line); the receipt id of every 2xx answer is written to a file per wrk2 thread so
-- that the benchmark can check each acknowledged change is in the ledger, and the status
-- of every other answer.
--
--   wrk -t1 -c256 -d30s -R1000 --latency -s wrk2_changes.lua URL -- TOKENS OUT_PREFIX

function setup(thread)
  thread:set("id", counter)
  counter = (counter or 0) + 1
end

counter = 0

function init(args)
  tokens = {}
  for line in io.lines(args[1]) do
    if #line > 0 then table.insert(tokens, line) end
  end
  -- each thread starts at its own place in the members
  position = (id * 7919) % #tokens
  sent = 0
  out = io.open(args[2] .. "-" .. id .. ".txt", "w")
  out:setvbuf("full")
end

function request()
  position = position % #tokens + 1
  sent = sent + 1
  local value = (sent % 2 == 0) and "true" or "false"
  return wrk.format("PUT", wrk.path, {
    ["Authorization"] = "Bearer " .. tokens[position],
    ["Content-Type"] = "application/json",
  }, '{"value":' .. value .. '}')
end

-- one line per answer: the receipt id of a 2xx, "STATUS <code>" for any other answer
-- (the file is flushed when wrk2 exits)
function response(status, headers, body)
  if status >= 200 and status < 300 then
    local receipt = string.match(body, '"receipt_id":"([0-9a-f%-]+)"')
    out:write(receipt or "NO-RECEIPT", "\n")
  else
    out:write("STATUS ", status, "\n")
  end
end
