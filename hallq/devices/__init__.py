"""Device drivers every role may use: the kiosk reads with them, `hallq doctor` probes with
them. Like printers/, they import nothing else of ours and no framework."""
