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

# Everything generated goes under one folder, removed at the end: a NuGet.config mapping Godot*
# packages to the feed (everything else to nuget.org), per-version copies of the project file,
# and per-version/per-configuration obj and bin folders so no two builds share files.
work=$(mktemp -d "${TMPDIR:-/tmp}/godot-build.XXXXXX")
generated=()
cleanup() { rm -rf "$work"; for f in "${generated[@]}"; do rm -f "$f"; done; }
trap cleanup EXIT

cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="godot-feed" value="$feed" />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="godot-feed"><package pattern="Godot*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML

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
  dotnet restore "$work/sdk-$version/sdk.csproj" --configfile "$work/NuGet.config" -v q -nologo >"$work/sdk-$version.log" 2>&1 \
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
        -p:RestoreConfigFile="$work/NuGet.config" -p:GodotBuildRoot="$root" \
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
