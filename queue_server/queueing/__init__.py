"""The hall's queue model, framework-free (docs/simulator.md).

Demand and arrival profiles, day plans, the discrete-event engine over an in-memory hall,
Erlang C and the end-of-day forecast. The forecast service (services/forecast.py) and the
simulator's drivers (queue_server/simulation: in-process, live, the `hallq simulate`
commands) both build on it; it imports only the domain and the hall's configuration.
"""
