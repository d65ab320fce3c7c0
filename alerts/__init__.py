"""Rule evaluation, alert lifecycle (pending → firing → acknowledged → resolved) and notifications."""
