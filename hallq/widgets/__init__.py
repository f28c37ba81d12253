"""Textual widgets shared by the kiosk and the window apps (they may not import each other)."""
