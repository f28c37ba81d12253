"""The kiosk's screens: home, service guide, taking a number, the ticket, help."""
