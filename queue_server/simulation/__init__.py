"""Hall simulator and end-of-day forecast (docs/simulator.md).

The model (profile, demand, planning, engine, memory, erlang, forecast, observed) is
framework-free; `inprocess` and `live` drive it through the service layer or the HTTP API,
and `commands` is the `hallq simulate` CLI.
"""
