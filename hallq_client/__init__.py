"""The one small client of the hallq server: its HTTP API and its event stream.

The kiosk, the window apps and the tools use only this module to talk to the server; they
never import queue_server.
"""

from hallq_client.api import ApiError, HallqClient, ServerUnreachable

__all__ = ["ApiError", "HallqClient", "ServerUnreachable"]
