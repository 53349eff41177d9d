#!/usr/bin/env bash
# Compiles the Godot layer against the Godot packages in the NuGet feed named by GODOT_NUGET_FEED,
# for every supported Godot version and for the editor (Debug: TOOLS and the EditorPlugin) and
# release exports (ExportRelease), with warnings as errors, in two set-ups:
# - the demo project (godot/GodotTorrentDemo.csproj: the addon and the demo scenes), and
# - a game as the Godot editor generates it, made in a temporary folder outside the repository:
#   Godot.NET.Sdk, net8.0, no ImplicitUsings, no Nullable, no Directory.Build.props above it, the
#   addon folder copied in, the README's Godot C# example beside it, and the library as a
#   PackageReference from a freshly packed folder.
# Godot itself is not needed: this is a compile check.
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
packages_folder="" pack_version=""
cleanup() { rm -rf "$work"; for f in "${generated[@]}"; do rm -f "$f"; done; if [ -n "$packages_folder" ] && [ -n "$pack_version" ]; then rm -rf "$packages_folder/godottorrent/$pack_version"; fi; }
trap cleanup EXIT

# The library as a game gets it: a package. Its version is unique to this run so that NuGet's
# global packages folder (which never refreshes a version it holds) cannot serve an older build;
# that copy is removed at the end.
repo=$(cd "$here/.." && pwd)
pack="$work/pack"
pack_version="0.1.0-buildcheck.$(date +%s).$$"
dotnet pack "$repo/src/GodotTorrent/GodotTorrent.csproj" -c Release -o "$pack" -nologo -v q \
    -p:PackageVersion="$pack_version" >"$work/pack.log" 2>&1 || { cat "$work/pack.log" >&2; exit 1; }
packages_folder=$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')

# The config names no registry: the machine's configured sources stay as they are (NuGet merges
# this file with the user's and the machine's configs) and are only referred to by key, so that
# package source mapping can send the Godot ids to the feed and everything else where it went before.
# With mapping on, an id no pattern matches cannot restore, hence the "*" line for each source.
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }
machine_sources=$(cd "$work" && dotnet nuget list source --format detailed | sed -n 's/^ *[0-9][0-9]*\. *\(.*\) \[Enabled\]$/\1/p')
mapping=""
while IFS= read -r key; do
  [ -n "$key" ] || continue
  [ "$key" != godot-feed ] && [ "$key" != godot-torrent-pack ] || { echo "godot/build.sh: a configured source is already called $key" >&2; exit 1; }
  mapping+="    <packageSource key=\"$(printf '%s' "$key" | xml_escape)\"><package pattern=\"*\" /></packageSource>"$'\n'
done <<< "$machine_sources"
nuget_config=$(cat <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="godot-feed" value="$(printf '%s' "$feed" | xml_escape)" />
    <add key="godot-torrent-pack" value="$(printf '%s' "$pack" | xml_escape)" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="godot-feed"><package pattern="Godot.*" /><package pattern="GodotSharp*" /></packageSource>
    <packageSource key="godot-torrent-pack"><package pattern="GodotTorrent" /></packageSource>
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

# Builds one project in both configurations; $1 the project, $2 a label, $3 the assembly name,
# $4 the build root (the demo's per-version obj/bin folders) or empty (the game's own folders).
build() {
  local csproj=$1 label=$2 assembly=$3 root_base=$4 configuration root log warnings dll plugin
  for configuration in "${configurations[@]}"; do
    log="$work/$label-$configuration.log"
    log=${log// /_}
    root_args=()
    if [ -n "$root_base" ]; then
      root="$root_base-$configuration"
      root_args=(-p:GodotBuildRoot="$root")
    fi
    if dotnet build "$csproj" -c "$configuration" -nologo -v q "${root_args[@]}" \
        -p:TreatWarningsAsErrors=true -warnaserror >"$log" 2>&1; then
      warnings=$(grep -cE "warning [A-Z]+[0-9]+" "$log" || true)
      if [ -n "$root_base" ]; then
        dll="$root/$(basename "$csproj" .csproj)/bin/$configuration/$assembly.dll"
      else
        dll=$(find "$(dirname "$csproj")" -path "*/$configuration/*" -name "$assembly.dll" -not -path "*/obj/*" | head -1)
      fi
      [ -n "$dll" ] && [ -f "$dll" ] || { echo "godot/build.sh: $label $configuration built, but $assembly.dll is missing" >&2; failed=1; continue; }
      # The EditorPlugin exists only in the editor build (Debug defines TOOLS).
      plugin=$(grep -c GodotTorrentPlugin "$dll" || true)
      if [ "$configuration" = Debug ] && [ "$plugin" = 0 ] || [ "$configuration" != Debug ] && [ "$plugin" != 0 ]; then
        echo "$label $configuration: the EditorPlugin is $( [ "$plugin" = 0 ] && echo missing || echo present)" >&2; failed=1; continue
      fi
      echo "$label $configuration: ok ($warnings warnings) $(du -k "$dll" | cut -f1) KiB"
    else
      echo "$label $configuration: FAILED"
      grep -E "error|warning" "$log" | sort -u | head -40
      failed=1
    fi
  done
}

# A game as the Godot editor makes it (project.godot and a .csproj naming only the SDK, the target
# framework and dynamic loading), with the addon copied in and the library as a package.
make_game() {
  local version=$1 game=$2
  mkdir -p "$game/addons"
  cp -R "$here/addons/godot_torrent" "$game/addons/"
  cat > "$game/project.godot" <<INI
config_version=5

[application]

config/name="NewGame"
config/features=PackedStringArray("${version%.*}", "C#")

[dotnet]

project/assembly_name="NewGame"

[editor_plugins]

enabled=PackedStringArray("res://addons/godot_torrent/plugin.cfg")
INI
  cat > "$game/NewGame.csproj" <<XML
<Project Sdk="Godot.NET.Sdk/$version">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <EnableDynamicLoading>true</EnableDynamicLoading>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="GodotTorrent" Version="$pack_version" />
  </ItemGroup>
</Project>
XML
  # The README's C# example for Godot, as a user pastes it: it must compile in such a game.
  awk '/^C# \(await on the main thread/ { found = 1 } found && /^```csharp$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
    "$repo/README.md" > "$game/ReadmePatcher.cs"
  grep -q "class Patcher" "$game/ReadmePatcher.cs" || { echo "godot/build.sh: the README's Godot C# example was not found" >&2; exit 1; }
}

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
  build "$csproj" "Godot $version demo" GodotTorrentDemo "$work/$version"
  # Outside the repository, so no Directory.Build.props or repository NuGet.config applies.
  game="$work/game-$version"
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    d=$work
    while [ "$d" != / ]; do [ ! -e "$d/$f" ] || { echo "godot/build.sh: $d/$f would apply to the generated game" >&2; exit 1; }; d=$(dirname "$d"); done
  done
  make_game "$version" "$game"
  build "$game/NewGame.csproj" "Godot $version new game" NewGame ""
done
exit $failed
