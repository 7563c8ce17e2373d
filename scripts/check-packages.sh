#!/usr/bin/env bash
# Packs Sparta, Sparta.Tuning, Sparta.Dashboard and the sparta tool into a folder feed, then, away
# from the source tree: builds tests/PackageConsumer against the packages (it trains a small model
# and runs a short study, and checks what they print), and installs the tool with
# `dotnet tool install --add-source` and runs it. Prints one line "packages: ok" or the failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/src/Directory.Build.props")

dotnet pack "$root/Sparta.sln" -c Release -nologo -v q -o "$work/feed" >/dev/null
cp -r "$root/tests/PackageConsumer" "$work/consumer"
# Directory.Build.props files above the copy would leak the repository's settings in: there are none in $work.
out=$(dotnet run --project "$work/consumer" -c Release -p:SpartaVersion="$version" -p:RestoreAdditionalProjectSources="$work/feed" \
  -p:RestorePackagesPath="$work/packages" 2>&1) || { echo "$out"; echo "packages: the consumer project failed"; exit 1; }
grep -q '^accuracy=' <<<"$out" && grep -q '^best x=' <<<"$out" || { echo "$out"; echo "packages: unexpected consumer output"; exit 1; }
accuracy=$(sed -n 's/^accuracy=//p' <<<"$out")
awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.9) }' || { echo "packages: the model learned too little (accuracy $accuracy)"; exit 1; }

dotnet tool install Sparta.Cli --version "$version" --tool-path "$work/tool" --add-source "$work/feed" >/dev/null
[ "$("$work/tool/sparta" --version | cut -d+ -f1)" = "$version" ] || { echo "packages: sparta --version is not $version"; exit 1; }
"$work/tool/sparta" tune --objective branin --trials 5 --storage memory | grep -q '^best value=' \
  || { echo "packages: the installed sparta did not tune"; exit 1; }
echo "packages: ok ($version: consumer accuracy $accuracy, tool installed and ran)"
