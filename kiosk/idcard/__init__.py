"""Taking a number with the resident ID card: the kiosk's flow (flow.py) over the reader's
driver, which lives in hallq/devices/idcard/ so that `hallq doctor` can probe it too."""
