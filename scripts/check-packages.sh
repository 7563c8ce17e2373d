#!/usr/bin/env bash
# Packs Sparta, Sparta.Tuning, Sparta.Tuning.PostgreSql, Sparta.Dashboard and the sparta tool into a
# folder feed, checks each package's metadata, then, away from the source tree: builds
# tests/PackageConsumer against the packages (it trains a small model, runs a short study and, without
# the PostgreSQL package, is told which package a postgresql:// URL needs), and installs the tool
# with `dotnet tool install --add-source` and runs it, a postgresql:// storage included (the tool
# carries the PostgreSQL package: an unreachable server is "cannot connect", not a missing driver).
# Prints one line "packages: ok" or the failure.
# Pipelines end in `grep >/dev/null`, not `grep -q`: -q stops reading at the first match, and under
# pipefail the writer's SIGPIPE then fails the pipeline at random.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/src/Directory.Build.props")

dotnet pack "$root/Sparta.sln" -c Release -nologo -v q -o "$work/feed" >/dev/null
for id in Sparta Sparta.Tuning Sparta.Tuning.PostgreSql Sparta.Dashboard Sparta.Cli; do
  nupkg="$work/feed/$id.$version.nupkg"
  [ -f "$nupkg" ] || { echo "packages: $id $version was not packed"; exit 1; }
  nuspec=$(unzip -p "$nupkg" "$id.nuspec")
  for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<description>' '<authors>'; do
    grep -qF "$field" <<<"$nuspec" || { echo "packages: $id's nuspec lacks $field"; exit 1; }
  done
  [ "$id" = Sparta.Cli ] || unzip -l "$nupkg" | grep "lib/net10.0/$id.xml" >/dev/null || { echo "packages: $id has no XML documentation"; exit 1; }
done
unzip -p "$work/feed/Sparta.Tuning.$version.nupkg" Sparta.Tuning.nuspec | grep Npgsql >/dev/null && { echo "packages: Sparta.Tuning still depends on Npgsql"; exit 1; }
unzip -p "$work/feed/Sparta.Tuning.PostgreSql.$version.nupkg" Sparta.Tuning.PostgreSql.nuspec | grep '"Npgsql"' >/dev/null || { echo "packages: Sparta.Tuning.PostgreSql does not bring Npgsql"; exit 1; }
cp -r "$root/tests/PackageConsumer" "$work/consumer"
# Directory.Build.props files above the copy would leak the repository's settings in: there are none in $work.
out=$(dotnet run --project "$work/consumer" -c Release -p:SpartaVersion="$version" -p:RestoreAdditionalProjectSources="$work/feed" \
  -p:RestorePackagesPath="$work/packages" 2>&1) || { echo "$out"; echo "packages: the consumer project failed"; exit 1; }
grep -q '^accuracy=' <<<"$out" && grep -q '^best x=' <<<"$out" || { echo "$out"; echo "packages: unexpected consumer output"; exit 1; }
grep -q '^postgres=.*needs the Sparta.Tuning.PostgreSql package' <<<"$out" || { echo "$out"; echo "packages: a postgresql:// URL without its package is not explained"; exit 1; }
accuracy=$(sed -n 's/^accuracy=//p' <<<"$out")
awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.9) }' || { echo "packages: the model learned too little (accuracy $accuracy)"; exit 1; }

dotnet tool install Sparta.Cli --version "$version" --tool-path "$work/tool" --add-source "$work/feed" >/dev/null
[ "$("$work/tool/sparta" --version | cut -d+ -f1)" = "$version" ] || { echo "packages: sparta --version is not $version"; exit 1; }
"$work/tool/sparta" tune --objective branin --trials 5 --storage memory | grep '^best value=' >/dev/null \
  || { echo "packages: the installed sparta did not tune"; exit 1; }
pg=$("$work/tool/sparta" tune --objective branin --trials 1 --storage postgresql://user:secret@127.0.0.1:1/studies 2>&1 || true)
grep -q 'cannot connect' <<<"$pg" || { echo "$pg"; echo "packages: the installed sparta does not open postgresql:// storages"; exit 1; }
echo "packages: ok ($version: consumer accuracy $accuracy, tool installed and ran)"
