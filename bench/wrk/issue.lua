-- Issue a ticket as the kiosk, each request with its own Idempotency-Key (as the kiosk sends).
dofile(os.getenv("HALLQ_WRK_DIR") .. "/report.lua")
local token = os.getenv("HALLQ_KIOSK_TOKEN")
local service = os.getenv("HALLQ_SERVICE") or "ASK"
local counter = 0
local prefix = ""

function init(args)
  prefix = string.format("%x-%x", math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/halls/demo/tickets", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. counter,
  }, '{"service": "' .. service .. '"}')
end

done = report
