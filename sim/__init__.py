"""Device-fleet simulator and scenario events, publishing real MQTT (see README.md in this folder).

`fleet` builds the devices, `engine.Simulator` makes their readings for any time range (a pure
function of the seed), `scenarios` places events on the clock, `publish` sends it all over MQTT.
"""
