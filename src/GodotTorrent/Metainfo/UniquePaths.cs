using System.Globalization;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Gives each file of a torrent a path that no other file or folder of it has, comparing names
/// as Windows and macOS do (ignoring case). A later file named like an earlier file or folder
/// gets a numbered name (<c>a.txt</c>, <c>a.1.txt</c>); a later file whose folder is named like
/// an earlier file goes to a numbered folder (<c>x</c> and <c>x/y</c> become <c>x</c> and
/// <c>x.1/y</c>), as do the files after it with the same folder. Each path costs time in
/// proportion to its length, however many names collide: every folder remembers the next
/// number to try for each name.
/// </summary>
internal sealed class UniquePaths
{
    private readonly Folder _root = new();

    /// <summary>
    /// <paramref name="prefix"/>, '/', and the unique path (joined with '/') for a file with these
    /// sanitised, non-empty components.
    /// </summary>
    public string Add(string prefix, IReadOnlyList<string> components)
    {
        var folder = _root;

        // A file at the top, as in most torrents, needs no array of parts: one string is built.
        var parts = components.Count == 1 ? null : new string[components.Count];
        for (int i = 0; i < components.Count - 1; i++)
        {
            string name = folder.Moved.TryGetValue(components[i], out var moved) ? moved : components[i];
            if (!folder.Children.TryGetValue(name, out var child))
            {
                child = new Folder();
                folder.Children.Add(name, child);
            }
            else if (child is null)
            {
                // A file already has this name: this folder (and later files in it) move aside.
                string unique = folder.NextFreeName(name);
                child = new Folder();
                folder.Children.Add(unique, child);
                folder.Moved[name] = unique;
                name = unique;
            }

            parts![i] = name;
            folder = child;
        }

        string file = components[^1];
        if (folder.Children.ContainsKey(file))
        {
            file = folder.NextFreeName(file);
        }

        folder.Children.Add(file, null);
        if (parts is null)
        {
            return string.Concat(prefix, "/", file);
        }

        parts[^1] = file;
        return prefix + "/" + string.Join('/', parts);
    }

    private sealed class Folder
    {
        /// <summary>Files (null) and folders in this folder, by name.</summary>
        public Dictionary<string, Folder?> Children { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>Folders that had to take another name because a file had theirs.</summary>
        public Dictionary<string, string> Moved { get; } = new(StringComparer.OrdinalIgnoreCase);

        private Dictionary<string, int> NextNumber { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary><c>stem.N.ext</c> with the smallest N not yet tried for <paramref name="name"/> that is free.</summary>
        public string NextFreeName(string name)
        {
            // As Path.GetExtension splits it (a sanitised name has no separator), without its strings.
            int dot = name.LastIndexOf('.');
            int split = dot < 0 || dot == name.Length - 1 ? name.Length : dot;
            int n = NextNumber.GetValueOrDefault(name, 1);
            string candidate;
            while (Children.ContainsKey(candidate = string.Create(CultureInfo.InvariantCulture, $"{name.AsSpan(0, split)}.{n}{name.AsSpan(split)}")))
            {
                n++;
            }

            NextNumber[name] = n + 1;
            return candidate;
        }
    }
}
