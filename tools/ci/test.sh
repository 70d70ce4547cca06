#!/usr/bin/env bash
# `npm test`: every check, each target once, on whatever `node` is first on PATH (.ci/run puts
# Node 24 there). Phases, with their duration:
#   1. lint + typecheck                 (all projects, 2 at a time)
#   2. test + conformance               (unit and integration: 2 projects at a time, 1 Jest worker
#                                        each; Better-Auth's adapter suites under vitest beside them)
#   3. e2e                              (processes, browser, failovers: 1 project at a time, 2 Jest
#                                        workers, since these files mostly wait on their servers)
# Which file is in `test` and which in `e2e`: jest.targets.js. `TEST_PHASES` picks phases
# (e.g. TEST_PHASES="test e2e"); the default runs all three.
set -euo pipefail
cd "$(dirname "$0")/../.."
export NX_DAEMON="${NX_DAEMON:-false}" NX_NO_CLOUD=true NX_TUI=false
nx=(node node_modules/.bin/nx run-many --outputStyle=stream-without-prefixes)
phases="${TEST_PHASES:-static test e2e}"
summary=()

phase() {
  local name=$1
  shift
  local started
  started=$(date +%s)
  echo "test: ${name} on node $(node --version) …"
  "$@"
  summary+=("${name}: $(($(date +%s) - started)) s")
  echo "test: ${name} took $(($(date +%s) - started)) s"
}

for p in $phases; do
  case "$p" in
    static) phase "lint + typecheck" "${nx[@]}" -t lint typecheck --parallel=2 ;;
    test) phase "test + conformance" "${nx[@]}" -t test conformance --parallel=2 ;;
    e2e) phase "e2e" "${nx[@]}" -t e2e --parallel=1 ;;
    *) echo "test: unknown phase $p (static, test, e2e)" >&2; exit 2 ;;
  esac
done
printf 'test: %s\n' "${summary[@]}"
