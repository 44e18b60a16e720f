#!/usr/bin/env bash
# Packs the notebook package LeakLab.Interactive from this checkout into a local folder and registers that folder as
# a NuGet source, so a notebook loads it in Jupyter, VS Code Polyglot Notebooks and `leaklab run` alike with
#     #r "nuget: LeakLab.Interactive, 0.1.0-*"
# Every pack gets a fresh pre-release version (0.1.0-dev.<unix seconds>.<pid>): NuGet caches packages by id and
# version (~/.nuget/packages), so re-packing the same version would leave kernels loading the old build.
#
# usage: scripts/pack-notebook-package.sh [--output DIR] [--nuget-config FILE] [--configuration CONF] [--no-build]
#   --output DIR         where the .nupkg goes (default: $LEAKLAB_PACKAGES or ~/.leaklab/packages)
#   --nuget-config FILE  register the source in FILE instead of the user's NuGet config; FILE is created from the
#                        user's config if missing. Point a kernel at it with the environment variable
#                        RestoreConfigFile=FILE (the notebook tests do, so parallel checkouts never share packages).
#   --configuration C    build configuration to pack (default Release)
#   --no-build           pack what the last build of that configuration produced
# Prints the version it packed on stdout (the last line).
set -euo pipefail
cd "$(dirname "$0")/.."

out="${LEAKLAB_PACKAGES:-$HOME/.leaklab/packages}"
config_file=""
configuration="Release"
build_flag=""
while [ $# -gt 0 ]; do
  case "$1" in
    --output) out="$2"; shift 2 ;;
    --nuget-config) config_file="$2"; shift 2 ;;
    --configuration|-c) configuration="$2"; shift 2 ;;
    --no-build) build_flag="--no-build"; shift ;;
    *) echo "pack-notebook-package: unknown argument '$1' (see the comment at the top of this script)" >&2; exit 2 ;;
  esac
done

mkdir -p "$out"
out="$(cd "$out" && pwd)"   # NuGet resolves a relative source against the config's folder, not ours
base=$(sed -n 's:.*<Version>\([0-9.]*\)</Version>.*:\1:p' Directory.Build.props | head -1)
version="${base:-0.1.0}-dev.$(date +%s).$$"

echo "pack-notebook-package: packing LeakLab.Interactive $version ($configuration) into $out" >&2
dotnet pack kernels-ext/LeakLab.Interactive -c "$configuration" $build_flag -o "$out" -p:Version="$version" --nologo -v quiet >&2

source_name="LeakLab-local"
if [ -n "$config_file" ]; then
  if [ ! -f "$config_file" ]; then
    mkdir -p "$(dirname "$config_file")"
    user_config="$HOME/.nuget/NuGet/NuGet.Config"
    if [ -f "$user_config" ]; then cp "$user_config" "$config_file"; else
      printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n  </packageSources>\n</configuration>\n' > "$config_file"
    fi
  fi
  # A copy of the user's config may name another LeakLab folder; this file must see only ours.
  dotnet nuget remove source "$source_name" --configfile "$config_file" >/dev/null 2>&1 || true
  dotnet nuget add source "$out" --name "$source_name" --configfile "$config_file" >/dev/null
else
  registered=$(dotnet nuget list source --format short 2>/dev/null | awk '{print $2}' | grep -Fx "$out" || true)
  if [ -z "$registered" ]; then
    dotnet nuget remove source "$source_name" >/dev/null 2>&1 || true
    dotnet nuget add source "$out" --name "$source_name" >/dev/null
    echo "pack-notebook-package: registered $out as the NuGet source '$source_name' in your NuGet config" >&2
  fi
fi
echo "pack-notebook-package: in a notebook: #r \"nuget: LeakLab.Interactive, ${base:-0.1.0}-*\" (restart the kernel to load a newer pack)" >&2
echo "$version"
