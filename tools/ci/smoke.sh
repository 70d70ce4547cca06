#!/usr/bin/env bash
# `npm run test:smoke`: the short check on the oldest supported Node (.ci/run runs it on the
# machine's Node 20 after the whole suite ran on 24): libs/utils and libs/monitoring whole, and
# the app files listed as SMOKE in jest.targets.js (sign-in, get-session, API keys,
# WebSockets, a database outage).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true NX_TUI=false
started=$(date +%s)
echo "smoke: on node $(node --version) …"
node node_modules/.bin/nx run-many -t test -p utils monitoring --parallel=2 --outputStyle=stream-without-prefixes
node node_modules/.bin/jest -c apps/auth-service/jest.smoke.config.js --maxWorkers=2
echo "smoke: took $(($(date +%s) - started)) s"
