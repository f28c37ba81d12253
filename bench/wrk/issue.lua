-- Issue a ticket as the kiosk, each request with its own Idempotency-Key (as the kiosk sends).
dofile(os.getenv("HALLQ_WRK_DIR") .. "/report.lua")
local token = os.getenv("HALLQ_KIOSK_TOKEN")
local service = os.getenv("HALLQ_SERVICE") or "ASK"
-- HALLQ_WRK_RUN: unique per wrk run (bench_queue_api sets it). Every thread's Lua state starts
-- math.random from the same seed, so a key made from it alone repeats across the threads and
-- across the warm-up and the measured run: those requests were replays, not new tickets.
local run = os.getenv("HALLQ_WRK_RUN") or tostring(os.time())
local counter = 0
local prefix = ""
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_no", threads)
end

function init(args)
  prefix = run .. "-" .. thread_no
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
