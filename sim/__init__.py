"""Device-fleet simulator and scenario events, publishing real MQTT."""
