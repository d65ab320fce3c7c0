"""MQTT consumer: decode wire formats, validate, convert units, calibrate, QC-flag, batch, write, ack."""
