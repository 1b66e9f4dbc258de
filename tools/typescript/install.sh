#!/usr/bin/env bash
# Prints the path of a node_modules with the npm packages `make typecheck` uses (typescript,
# @pulumi/pulumi, @types/node at the versions package-lock.json pins), installing them first
# when the cache lacks them.
#
#   tools/typescript/install.sh
#
# They live outside the clone, under the project's cache root, keyed by the hash of
# package.json and package-lock.json: a second run installs nothing, and no node_modules is
# ever written into the clone. npm messages go to stderr; stdout is the path alone.
#
# Environment: PULUMI_AWS_FORECAST_CACHE overrides the cache root
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
key=$(cat "$here/package.json" "$here/package-lock.json" "$here/install.sh" | sha256sum | cut -c1-12)
cache_root=${PULUMI_AWS_FORECAST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast}
dest="$cache_root/typescript-$key"
if [ ! -x "$dest/node_modules/.bin/tsc" ]; then
    command -v npm >/dev/null || { echo "install.sh: the TypeScript checks need npm (Node.js 20+)" >&2; exit 1; }
    echo "typescript: installing the pinned npm packages into $dest (once)" >&2
    tmp="$dest.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    cp "$here/package.json" "$here/package-lock.json" "$tmp/"
    # Type declarations are all the checks need: no install scripts run.
    (cd "$tmp" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error) >&2
    rm -rf "$dest" && mv "$tmp" "$dest"
fi
echo "$dest/node_modules"
