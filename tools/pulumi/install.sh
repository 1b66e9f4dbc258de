#!/usr/bin/env bash
# Makes `<bin>/pulumi` work, offline, idempotently.
#
#   tools/pulumi/install.sh BIN_DIR
#
# 1. If a `pulumi` on PATH (outside BIN_DIR) is at least the pinned version and
#    has its Python language host beside it, link it into BIN_DIR.
# 2. Otherwise build the CLI (github.com/pulumi/pulumi/pkg/v3) and our Python
#    language host (cmd/pulumi-language-python) from the Go module proxy at the
#    version pinned in go.mod, stamped with that version, into a cache outside
#    the clone keyed by version and by the hash of what goes into the build;
#    copy the two helper scripts from the downloaded sdk/v3 module beside them;
#    link the four files into BIN_DIR. A second run finds the cache and builds
#    nothing.
#
# Environment: PULUMI_AWS_FORECAST_CACHE overrides the cache root
# (default ${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin_dir=${1:?usage: install.sh BIN_DIR}
mkdir -p "$bin_dir"
bin_dir=$(cd "$bin_dir" && pwd)

version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")
[ -n "$version" ] || { echo "install.sh: no github.com/pulumi/pulumi/pkg/v3 in $here/go.mod" >&2; exit 1; }
files=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)

link_all() { # DIR: link the four files from DIR into bin_dir
    for f in "${files[@]}"; do ln -sfn "$1/$f" "$bin_dir/$f"; done
}

# version_ge A B: A >= B for vX.Y.Z strings.
version_ge() {
    [ "$(printf '%s\n%s\n' "${1#v}" "${2#v}" | sort -V | head -n1)" = "${2#v}" ]
}

# 1. An installed Pulumi of an adequate version.
ambient=$(PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$bin_dir" | paste -sd: -) command -v pulumi || true)
if [ -n "$ambient" ]; then
    ambient_dir=$(dirname "$(readlink -f "$ambient")")
    ambient_version=$("$ambient" version 2>/dev/null || true)
    if [ -x "$ambient_dir/pulumi-language-python" ] && version_ge "$ambient_version" "$version"; then
        link_all "$ambient_dir"
        echo "pulumi: using the installed $ambient_version at $ambient_dir"
        exit 0
    fi
    echo "pulumi: ignoring $ambient ($ambient_version): need >= $version with pulumi-language-python beside it"
fi

# 2. Our build, cached outside the clone.
key=$(cat "$here/go.mod" "$here/go.sum" "$here/cmd/pulumi-language-python/main.go" "$0" | sha256sum | cut -c1-12)
cache_root=${PULUMI_AWS_FORECAST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-aws-forecast}
dest="$cache_root/pulumi-$version-$key"
complete=1
for f in "${files[@]}"; do [ -x "$dest/$f" ] || complete=0; done
if [ "$complete" = 1 ] && [ "$("$dest/pulumi" version)" = "$version" ]; then
    link_all "$dest"
    echo "pulumi: $version from the cache at $dest"
    exit 0
fi

command -v go >/dev/null || {
    echo "install.sh: no pulumi >= $version on PATH and no Go toolchain to build one (Go 1.25+ is needed)" >&2
    exit 1
}
echo "pulumi: building $version from Go modules into $dest (a few minutes, once)"
start=$(date +%s)
tmp="$dest.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
ldflags="-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version"
(
    cd "$here"
    export GOFLAGS=-mod=readonly CGO_ENABLED=0
    go build -trimpath -ldflags "$ldflags" -o "$tmp/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
    go build -trimpath -ldflags "$ldflags" -o "$tmp/pulumi-language-python" ./cmd/pulumi-language-python
    sdk=$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
    install -m 0755 "$sdk/python/cmd/pulumi-language-python-exec" "$tmp/"
    install -m 0755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$tmp/"
)
built=$("$tmp/pulumi" version)
[ "$built" = "$version" ] || { echo "install.sh: built pulumi reports '$built', expected $version" >&2; exit 1; }
rm -rf "$dest" && mv "$tmp" "$dest"
link_all "$dest"
echo "pulumi: built $version in $(( $(date +%s) - start ))s"
