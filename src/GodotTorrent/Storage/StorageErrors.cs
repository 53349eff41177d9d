namespace GodotTorrent.Storage;

/// <summary>Turns runtime I/O exceptions into <see cref="StorageException"/>s with the right code.</summary>
internal static class StorageErrors
{
    private const int WindowsDiskFull = 112;
    private const int WindowsHandleDiskFull = 39;
    private const int WindowsWriteProtect = 19;
    private const int UnixNoSpace = 28;
    private const int UnixReadOnlyFileSystem = 30;
    private const int LinuxQuotaExceeded = 122;
    private const int MacQuotaExceeded = 69;

    public static bool IsIoFailure(Exception ex) => ex is IOException or UnauthorizedAccessException;

    public static StorageException Wrap(Exception ex, string action, string? path, int fileIndex)
    {
        if (ex is StorageException storage)
        {
            return storage;
        }

        var code = Classify(ex);
        string what = fileIndex >= 0 ? $"file {fileIndex} ({path})" : path ?? "the storage";
        return new StorageException(code, $"Could not {action} {what}: {ex.Message}", path, fileIndex, ex);
    }

    public static StorageException Missing(string path, int fileIndex, string detail) =>
        new(ErrorCode.FileMissing, $"File {fileIndex} ({path}) {detail}.", path, fileIndex);

    private static ErrorCode Classify(Exception ex)
    {
        switch (ex)
        {
            case FileNotFoundException or DirectoryNotFoundException:
                return ErrorCode.FileMissing;
            case UnauthorizedAccessException:
                return ErrorCode.AccessDenied;
            case IOException io:
                // Windows puts the Win32 code in the low 16 bits of an HRESULT; on Unix .NET uses the raw errno.
                int code = OperatingSystem.IsWindows() ? io.HResult & 0xFFFF : io.HResult;
                if (OperatingSystem.IsWindows())
                {
                    return code switch
                    {
                        WindowsDiskFull or WindowsHandleDiskFull => ErrorCode.DiskFull,
                        WindowsWriteProtect => ErrorCode.AccessDenied,
                        _ => ErrorCode.StorageIo,
                    };
                }

                return code switch
                {
                    UnixNoSpace => ErrorCode.DiskFull,
                    LinuxQuotaExceeded when OperatingSystem.IsLinux() => ErrorCode.DiskFull,
                    MacQuotaExceeded when OperatingSystem.IsMacOS() => ErrorCode.DiskFull,
                    UnixReadOnlyFileSystem => ErrorCode.AccessDenied,
                    _ => ErrorCode.StorageIo,
                };
            default:
                return ErrorCode.StorageIo;
        }
    }
}
