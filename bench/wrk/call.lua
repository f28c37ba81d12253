-- One wrk thread per window, each with its signed-in clerk: call-next, then no-show for the
-- ticket called, round after round. Every request counts (each is one write transaction).
-- HALLQ_CLERK_TOKENS: the clerks' tokens, comma-separated, window 1 first.
dofile(os.getenv("HALLQ_WRK_DIR") .. "/report.lua")
local tokens = {}
for t in string.gmatch(os.getenv("HALLQ_CLERK_TOKENS"), "[^,]+") do
  table.insert(tokens, t)
end
local next_window = 1

function setup(thread)
  thread:set("window", next_window)
  thread:set("token", tokens[next_window])
  next_window = next_window + 1
end

local pending = nil

function request()
  local base = "/api/v1/halls/demo/windows/" .. window
  local headers = {["Authorization"] = "Bearer " .. token}
  if pending then
    local ticket = pending
    pending = nil
    return wrk.format("POST", base .. "/tickets/" .. ticket .. "/no-show", headers)
  end
  return wrk.format("POST", base .. "/call-next", headers)
end

function response(status, headers, body)
  if status == 200 and body then
    local id = string.match(body, '"id"%s*:%s*"(%x+)"')
    if id and string.find(body, '"state"%s*:%s*"called"') then
      pending = id
    end
  end
end

done = report
