#!/usr/bin/env bash
# Compiles the Godot project (godot/GodotTorrentDemo.csproj: the addon and the demo) against
# the Godot packages in the NuGet feed named by GODOT_NUGET_FEED, for every supported Godot
# version and for the editor (Debug: TOOLS and the EditorPlugin) and release exports
# (ExportRelease), with warnings as errors. Godot itself is not needed: this is a compile check.
# Usage: GODOT_NUGET_FEED=/path/to/feed godot/build.sh [version ...]   (default: 4.2.2 4.6.0)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
feed=${GODOT_NUGET_FEED:?set GODOT_NUGET_FEED to a folder holding Godot.NET.Sdk, Godot.SourceGenerators, GodotSharp and GodotSharpEditor .nupkg files}
feed=$(cd "$feed" && pwd)
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(4.2.2 4.6.0)
configurations=(Debug ExportRelease)

# Everything generated goes under one folder, removed at the end: per-version copies of the
# project file, per-version/per-configuration obj and bin folders so no two builds share files,
# and a NuGet.config that adds the feed beside the machine's own package sources.
work=$(mktemp -d "${TMPDIR:-/tmp}/godot-build.XXXXXX")
generated=()
cleanup() { rm -rf "$work"; for f in "${generated[@]}"; do rm -f "$f"; done; }
trap cleanup EXIT

# The config names no registry: the machine's configured sources stay as they are (NuGet merges
# this file with the user's and the machine's configs) and are only referred to by key, so that
# package source mapping can send Godot* ids to the feed and everything else where it went before.
# With mapping on, an id no pattern matches cannot restore, hence the "*" line for each source.
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
machine_sources=$(cd "$work" && dotnet nuget list source --format detailed | sed -n 's/^ *[0-9][0-9]*\. *\(.*\) \[Enabled\]$/\1/p')
mapping=""
while IFS= read -r key; do
  [ -n "$key" ] || continue
  [ "$key" != godot-feed ] || { echo "godot/build.sh: a configured source is already called godot-feed" >&2; exit 1; }
  mapping+="    <packageSource key=\"$(printf '%s' "$key" | xml_escape)\"><package pattern=\"*\" /></packageSource>"$'\n'
done <<< "$machine_sources"
nuget_config=$(cat <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="godot-feed" value="$(printf '%s' "$feed" | xml_escape)" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="godot-feed"><package pattern="Godot*" /></packageSource>
$mapping  </packageSourceMapping>
</configuration>
XML
)
# NuGet reads a NuGet.config from the project's folder and its parents (a --configfile would
# replace the user's config, and with it the machine's sources), so the config goes beside the
# project for the build and in the work folder for the SDK download below.
printf '%s\n' "$nuget_config" > "$work/NuGet.config"
[ ! -e "$here/NuGet.config" ] || { echo "godot/build.sh: $here/NuGet.config exists; remove it first" >&2; exit 1; }
generated+=("$here/NuGet.config")
printf '%s\n' "$nuget_config" > "$here/NuGet.config"

project="$here/GodotTorrentDemo.csproj"
declared=$(sed -n 's|.*Sdk="Godot.NET.Sdk/\([^"]*\)".*|\1|p' "$project")
failed=0
for version in "${versions[@]}"; do
  for f in "$feed/Godot.NET.Sdk.$version.nupkg" "$feed/GodotSharp.$version.nupkg" "$feed/Godot.SourceGenerators.$version.nupkg" "$feed/GodotSharpEditor.$version.nupkg"; do
    [ -f "$f" ] || { echo "godot/build.sh: $f is missing" >&2; exit 1; }
  done
  # MSBuild resolves Godot.NET.Sdk before restore and looks only in the global packages folder
  # and the project's own NuGet sources, so put it there first with a download-only restore.
  mkdir -p "$work/sdk-$version"
  cat > "$work/sdk-$version/sdk.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="Godot.NET.Sdk" Version="[$version]" /></ItemGroup>
</Project>
XML
  dotnet restore "$work/sdk-$version/sdk.csproj" -v q -nologo >"$work/sdk-$version.log" 2>&1 \
    || { cat "$work/sdk-$version.log" >&2; exit 1; }
  # The project file names the lowest supported version; other versions build a copy naming theirs.
  if [ "$version" = "$declared" ]; then
    csproj=$project
  else
    csproj="$here/GodotTorrentDemo.godot-$version.csproj"
    sed "s|Godot.NET.Sdk/$declared|Godot.NET.Sdk/$version|" "$project" > "$csproj"
    generated+=("$csproj")
  fi
  for configuration in "${configurations[@]}"; do
    root="$work/$version-$configuration"
    log="$work/$version-$configuration.log"
    if dotnet build "$csproj" -c "$configuration" -nologo -v q \
        -p:GodotBuildRoot="$root" \
        -p:TreatWarningsAsErrors=true -warnaserror >"$log" 2>&1; then
      warnings=$(grep -cE "warning [A-Z]+[0-9]+" "$log" || true)
      dll="$root/$(basename "$csproj" .csproj)/bin/$configuration/GodotTorrentDemo.dll"
      [ -f "$dll" ] || { echo "godot/build.sh: built, but $dll is missing" >&2; failed=1; continue; }
      # The EditorPlugin exists only in the editor build (Debug defines TOOLS).
      plugin=$(grep -c GodotTorrentPlugin "$dll" || true)
      if [ "$configuration" = Debug ] && [ "$plugin" = 0 ] || [ "$configuration" != Debug ] && [ "$plugin" != 0 ]; then
        echo "Godot $version $configuration: the EditorPlugin is $( [ "$plugin" = 0 ] && echo missing || echo present)" >&2; failed=1; continue
      fi
      echo "Godot $version $configuration: ok ($warnings warnings) $(du -k "$dll" | cut -f1) KiB"
    else
      echo "Godot $version $configuration: FAILED"
      grep -E "error|warning" "$log" | sort -u | head -40
      failed=1
    fi
  done
done
exit $failed
