"""Running hallq on hall hardware: install, doctor, backups, credentials (issue 9)."""
