"""Running hallq on hall hardware: install, doctor, backups (docs/deploy.md)."""
