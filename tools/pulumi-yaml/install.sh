#!/usr/bin/env bash
# Makes `<bin>/pulumi-language-yaml` work, offline, idempotently.
#
#   tools/pulumi-yaml/install.sh BIN_DIR
#
# The YAML language host lets the CLI run stacks with `runtime: yaml`. No
# release binary is reachable here, so:
# 1. If a `pulumi-language-yaml` is on PATH (outside BIN_DIR), link it.
# 2. Otherwise build github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml at
#    the version below with `go install` (its own module and go.sum, against
#    the pulumi SDK it pins: it does not compile against the CLI's newer SDK in
#    tools/pulumi), stamped with that version, into a cache outside the clone
#    keyed by version and by the build's flags; link it into BIN_DIR. A second
#    run finds the cache and builds nothing.
#
# Environment: PULUMI_AWS_FORECAST_CACHE overrides the cache root
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast).
set -euo pipefail

version=v1.25.0
module=github.com/pulumi/pulumi-yaml
name=pulumi-language-yaml

bin_dir=${1:?usage: install.sh BIN_DIR}
mkdir -p "$bin_dir"
bin_dir=$(cd "$bin_dir" && pwd)

# 1. An installed YAML language host.
ambient=$(PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin_dir" | paste -sd: -) command -v "$name" || true)
if [ -n "$ambient" ]; then
    ln -sfn "$(readlink -f "$ambient")" "$bin_dir/$name"
    echo "$name: using the installed $(readlink -f "$ambient")"
    exit 0
fi

# 2. Our build, cached outside the clone.
ldflags="-X $module/pkg/version.Version=$version"
key=$(printf '%s\n' "$module/cmd/$name@$version" "$ldflags" | sha256sum | cut -c1-12)
cache_root=${PULUMI_AWS_FORECAST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast}
dest="$cache_root/$name-$version-$key"
if [ -x "$dest/$name" ]; then
    ln -sfn "$dest/$name" "$bin_dir/$name"
    echo "$name: $version from the cache at $dest"
    exit 0
fi

command -v go >/dev/null || {
    echo "install.sh: no $name on PATH and no Go toolchain to build one (Go 1.24+ is needed)" >&2
    exit 1
}
echo "$name: building $version from Go modules into $dest (a few minutes, once)"
start=$(date +%s)
tmp="$dest.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
GOBIN="$tmp" CGO_ENABLED=0 GOFLAGS=-mod=readonly go install -trimpath \
    -ldflags "$ldflags" "$module/cmd/$name@$version"
[ -x "$tmp/$name" ] || { echo "install.sh: go install produced no $tmp/$name" >&2; exit 1; }
rm -rf "$dest" && mv "$tmp" "$dest"
ln -sfn "$dest/$name" "$bin_dir/$name"
echo "$name: built $version in $(( $(date +%s) - start ))s"
