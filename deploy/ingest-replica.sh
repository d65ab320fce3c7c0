#!/bin/sh
# One ingest replica of docker-compose (`docker compose up -d --scale ingest=N`): joins the shared
# subscription with a client id that stays the same when the container is recreated, so the replica
# resumes its own persistent session. The id comes from the container's name (<project>-ingest-<n>,
# found by a reverse look-up in Docker's DNS), or the host name when that look-up fails.
set -eu
name=$(getent hosts "$(hostname -i | cut -d' ' -f1)" 2>/dev/null | awk '{print $2}' | cut -d. -f1)
SENSEGRID_INGEST_CLIENT_ID="${name:-ingest-$(hostname)}"
export SENSEGRID_INGEST_CLIENT_ID
exec sensegrid ingest --shared "$@"
