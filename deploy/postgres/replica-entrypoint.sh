#!/bin/sh
# Streaming replica: on an empty data directory, clone the primary (pg_basebackup -R writes
# standby.signal and primary_conninfo), then run postgres as a hot standby.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA" && chown postgres:postgres "$PGDATA" && chmod 700 "$PGDATA"
  until PGPASSWORD="$REPLICATION_PASSWORD" su-exec postgres pg_basebackup -h "$PRIMARY_HOST" -U "$REPLICATION_USER" \
      -D "$PGDATA" -X stream -R -S replica_1 -P; do
    echo "waiting for the primary at $PRIMARY_HOST" >&2; sleep 2
  done
fi
exec su-exec postgres postgres -c hot_standby=on
