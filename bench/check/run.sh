#!/usr/bin/env bash
# Offline proof of the k6 scripts without k6 (k6 itself is not installed here):
#   1. type-check the scripts against the published k6 declarations (@types/k6),
#      and the stand-in against Node's;
#   2. run each script under each profile once through the stand-in k6 modules, against the real
#      services at BASE_URL_CONVERTER, BASE_URL_MODEL, BASE_URL_PRICE (and BASE_URL_GO_PEER, ...).
# A service that does not answer fails the run; BENCH_CHECK_ALLOW_SKIP=1 skips its cases instead.
# BENCH_CHECK_VERBOSE=1 prints every case's output, not only the failures'.
set -euo pipefail
cd "$(dirname "$0")"

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 6) ? 0 : 1)'; then
  echo "bench/check needs Node.js 20.6 or newer (module.register); found $(node -v)" >&2
  exit 1
fi

echo "== npm ci (versions pinned in package-lock.json)"
npm ci --no-audit --no-fund --loglevel=error

echo "== type-check: k6 scripts against @types/k6"
npx --no-install tsc -p tsconfig.json
echo "== type-check: the stand-in against @types/node"
npx --no-install tsc -p tsconfig.stand-in.json
echo "type-check: ok"

echo "== stand-in run: every script, every profile, against the services"
node run-all.mjs
