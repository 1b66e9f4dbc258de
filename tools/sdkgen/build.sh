#!/usr/bin/env bash
# Prints the path of the sdkgen binary, building it first when the cache lacks it.
#
#   tools/sdkgen/build.sh
#
# The binary lives outside the clone, under the project's cache root, keyed by
# the hash of this directory's sources (go.mod, go.sum, main.go, this script):
# a second run with the same sources builds nothing. Build messages go to
# stderr; stdout is the path alone.
#
# Environment: PULUMI_AWS_FORECAST_CACHE overrides the cache root
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
key=$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" "$here/build.sh" | sha256sum | cut -c1-12)
cache_root=${PULUMI_AWS_FORECAST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast}
dest="$cache_root/sdkgen-$key"
if [ ! -x "$dest/sdkgen" ]; then
    command -v go >/dev/null || { echo "build.sh: sdkgen needs a Go toolchain (Go 1.25+)" >&2; exit 1; }
    echo "sdkgen: building into $dest (a few minutes, once)" >&2
    start=$(date +%s)
    tmp="$dest.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    trap 'rm -rf "$tmp"' EXIT
    (cd "$here" && GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -o "$tmp/sdkgen" .) >&2
    rm -rf "$dest" && mv "$tmp" "$dest"
    echo "sdkgen: built in $(( $(date +%s) - start ))s" >&2
fi
echo "$dest/sdkgen"
