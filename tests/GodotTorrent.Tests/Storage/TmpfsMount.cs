using System.Diagnostics;

namespace GodotTorrent.Tests.Storage;

/// <summary>A tiny tmpfs for real disk-full and read-only errors; null where mounting is not allowed (not root, not Linux).</summary>
internal sealed class TmpfsMount : IDisposable
{
    private TmpfsMount(string path)
    {
        Path = path;
    }

    public string Path { get; }

    public static TmpfsMount? TryCreate(string size)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            return null;
        }

        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "gt-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        if (Run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", path))
        {
            return new TmpfsMount(path);
        }

        Directory.Delete(path);
        return null;
    }

    public bool MakeReadOnly() => Run("mount", "-o", "remount,ro", Path);

    public void Dispose()
    {
        Run("umount", Path);
        Directory.Delete(Path, recursive: true);
    }

    private static bool Run(string command, params string[] args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
