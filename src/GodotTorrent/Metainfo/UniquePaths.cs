using System.Globalization;

namespace GodotTorrent.Metainfo;

/// <summary>
/// Gives each file of a torrent a path that no other file or folder of it has, comparing names
/// as Windows and macOS do (ignoring case). A later file named like an earlier file or folder
/// gets a numbered name (<c>a.txt</c>, <c>a.1.txt</c>); a later file whose folder is named like
/// an earlier file goes to a numbered folder (<c>x</c> and <c>x/y</c> become <c>x</c> and
/// <c>x.1/y</c>), as do the files after it with the same folder. Each path costs time in
/// proportion to its length, however many names collide: every folder remembers the next
/// number to try for each name. A file's path is its only string: the table holds the
/// components it was given, or the tail of the path for a renamed file, and numbered names are
/// tried in a scratch buffer.
/// </summary>
internal sealed class UniquePaths
{
    private readonly Folder _root = new();
    private readonly List<string> _parts = [];
    private char[] _candidate = new char[64];
    private char[] _path = new char[256];

    /// <summary>
    /// <paramref name="prefix"/>, '/', and the unique path (joined with '/') for a file with these
    /// sanitised, non-empty components; <paramref name="renamed"/> when any of them had to change.
    /// </summary>
    public string Add(string prefix, IReadOnlyList<string> components, out bool renamed)
    {
        var folder = _root;
        renamed = false;
        _parts.Clear();
        for (int i = 0; i < components.Count - 1; i++)
        {
            string name = folder.Moved is not null && folder.Moved.TryGetValue(components[i].AsMemory(), out var moved) ? moved : components[i];
            if (!folder.Children.TryGetValue(name.AsMemory(), out var child))
            {
                child = new Folder();
                folder.Children.Add(name.AsMemory(), child);
            }
            else if (child is null)
            {
                // A file already has this name: this folder (and later files in it) move aside.
                string unique = new(folder.NextFreeName(name, ref _candidate).Span);
                child = new Folder();
                folder.Children.Add(unique.AsMemory(), child);
                (folder.Moved ??= new(NameComparer.Instance))[name.AsMemory()] = unique;
                name = unique;
            }

            renamed |= !ReferenceEquals(name, components[i]);
            _parts.Add(name);
            folder = child;
        }

        var file = components[^1].AsMemory();
        if (folder.Children.ContainsKey(file))
        {
            file = folder.NextFreeName(components[^1], ref _candidate);
            renamed = true;
        }

        string path = Join(prefix, file.Span);
        folder.Children.Add(renamed && file.Length > 0 ? path.AsMemory(path.Length - file.Length) : file, null);
        return path;
    }

    // prefix/part/.../file, built in a scratch buffer: the result is the one string made.
    private string Join(string prefix, ReadOnlySpan<char> file)
    {
        if (_parts.Count == 0)
        {
            return string.Concat(prefix, "/", file);
        }

        int length = prefix.Length + 1 + file.Length;
        foreach (var part in _parts)
        {
            length += part.Length + 1;
        }

        if (_path.Length < length)
        {
            _path = new char[Math.Max(length, _path.Length * 2)];
        }

        int at = 0;
        prefix.CopyTo(_path);
        at += prefix.Length;
        _path[at++] = '/';
        foreach (var part in _parts)
        {
            part.CopyTo(_path.AsSpan(at));
            at += part.Length;
            _path[at++] = '/';
        }

        file.CopyTo(_path.AsSpan(at));
        return new string(_path, 0, length);
    }

    private sealed class Folder
    {
        /// <summary>Files (null) and folders in this folder, by name.</summary>
        public Dictionary<ReadOnlyMemory<char>, Folder?> Children { get; } = new(NameComparer.Instance);

        /// <summary>Folders that had to take another name because a file had theirs (made on the first).</summary>
        public Dictionary<ReadOnlyMemory<char>, string>? Moved { get; set; }

        private Dictionary<ReadOnlyMemory<char>, int>? NextNumber { get; set; }

        /// <summary>
        /// <c>stem.N.ext</c> with the smallest N not yet tried for <paramref name="name"/> that is
        /// free, written to <paramref name="buffer"/> (valid until the next call).
        /// </summary>
        public ReadOnlyMemory<char> NextFreeName(string name, ref char[] buffer)
        {
            // As Path.GetExtension splits it (a sanitised name has no separator), without its strings.
            int dot = name.LastIndexOf('.');
            int split = dot < 0 || dot == name.Length - 1 ? name.Length : dot;

            // The stem, a dot, up to 10 digits and the extension.
            if (buffer.Length < name.Length + 11)
            {
                buffer = new char[name.Length + 11];
            }

            NextNumber ??= new(NameComparer.Instance);
            int n = NextNumber.GetValueOrDefault(name.AsMemory(), 1);
            ReadOnlyMemory<char> candidate;
            while (Children.ContainsKey(candidate = Format(name, split, n, buffer)))
            {
                n++;
            }

            NextNumber[name.AsMemory()] = n + 1;
            return candidate;
        }

        private static ReadOnlyMemory<char> Format(string name, int split, int n, char[] buffer)
        {
            name.AsSpan(0, split).CopyTo(buffer);
            int at = split;
            buffer[at++] = '.';
            n.TryFormat(buffer.AsSpan(at), out int digits, provider: CultureInfo.InvariantCulture);
            at += digits;
            name.AsSpan(split).CopyTo(buffer.AsSpan(at));
            return buffer.AsMemory(0, at + name.Length - split);
        }
    }
}
