#!/usr/bin/env bash
# Writes the provider plugin's SDKs (sdk/nodejs, sdk/python, sdk/go) from its schema, or checks them.
#
#   tools/sdkgen/generate.sh           # regenerate sdk/<language> (`make sdk`)
#   tools/sdkgen/generate.sh --check   # exit 1 when a committed SDK differs (`make lint`)
#
# Both generate into a temporary directory with sdkgen (tools/sdkgen/build.sh builds it once into
# the cache) from provider/pulumi_aws_forecast/schema.json (`make generate` writes that from the
# resources' descriptions); the first replaces the committed SDKs with the result, the second diffs.
#
# What builds and installs leave in sdk/ (node_modules, bin, build, *.egg-info, __pycache__:
# ignored by the generated .gitignore files) is left out of the comparison.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
check=0
[ "${1:-}" = --check ] && check=1
languages=(nodejs python go)

sdkgen=$("$repo/tools/sdkgen/build.sh")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sdkgen" -schema "$repo/provider/pulumi_aws_forecast/schema.json" -out "$tmp"

stale=0
for language in "${languages[@]}"; do
    if [ "$check" = 1 ]; then
        if ! diff -r -q -x __pycache__ -x node_modules -x '*.egg-info' -x build -x bin "$repo/sdk/$language" "$tmp/$language" >&2; then
            echo "sdk/$language is out of date: run \`make sdk\`" >&2
            stale=1
        fi
    else
        rm -rf "${repo:?}/sdk/$language"
        mkdir -p "$repo/sdk"
        mv "$tmp/$language" "$repo/sdk/$language"
        echo "wrote sdk/$language"
    fi
done
exit "$stale"
