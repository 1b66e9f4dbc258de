#!/usr/bin/env bash
# Type-checks the generated TypeScript SDK (sdk/nodejs, with its own tsconfig) and the TypeScript
# example (examples/typescript, which imports the SDK) with tsc, without writing into the clone:
# both are copied into a temporary directory beside the cached node_modules (install.sh).
#
#   tools/typescript/check.sh
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
modules=$("$repo/tools/typescript/install.sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/sdk" "$tmp/examples"
cp -R "$repo/sdk/nodejs" "$tmp/sdk/nodejs"
cp -R "$repo/examples/typescript" "$tmp/examples/typescript"
ln -s "$modules" "$tmp/node_modules"
tsc="$modules/.bin/tsc"
"$tsc" -p "$tmp/sdk/nodejs" --noEmit
echo "tsc: sdk/nodejs type-checks"
"$tsc" -p "$tmp/examples/typescript" --noEmit
echo "tsc: examples/typescript type-checks"
