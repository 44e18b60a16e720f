using System.Text;

namespace LeakLab.Core.Files;

/// <summary>
/// Creates files readable and writable by their owner only (mode 0600 on Unix), and folders only their owner can
/// list or enter (0700). Everything LeakLab derives from a process's memory (snapshots, SQL databases, reports, watch
/// and dump folders) goes through here, because such data can hold the process's
/// secrets (tokens, passwords, personal data in strings), exactly like the dump it came from, which createdump writes 0600.
/// </summary>
internal static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Opens <paramref name="path"/> for writing with <paramref name="mode"/> (<see cref="FileMode.CreateNew"/> or
    /// <see cref="FileMode.Create"/>, or <see cref="FileMode.Open"/> to update a file in place); a new file is created
    /// owner-only, an existing one replaced or opened is made owner-only.
    /// </summary>
    /// <param name="share">What others may do while it is open: <see cref="FileShare.Read"/> for files read while written (a watch's CSVs).</param>
    /// <exception cref="IOException">As <see cref="FileStream"/> throws it (exists, missing folder, disk full).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to create or replace the file.</exception>
    public static FileStream Create(string path, FileMode mode = FileMode.CreateNew, int bufferSize = 4096, FileShare share = FileShare.None)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = share, BufferSize = bufferSize };
        if (!OperatingSystem.IsWindows() && mode is not (FileMode.Open or FileMode.Truncate)) // modes that cannot create reject it
            options.UnixCreateMode = OwnerOnly;
        var stream = new FileStream(path, options);
        // UnixCreateMode applies only when the file is new; a file that existed keeps its mode unless we set it.
        if (!OperatingSystem.IsWindows() && mode != FileMode.CreateNew)
            File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
        return stream;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8 without BOM by default) to an owner-only file, replacing any file there.</summary>
    public static void WriteAllText(string path, string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        using FileStream stream = Create(path, FileMode.Create);
        using var writer = new StreamWriter(stream, encoding ?? new UTF8Encoding(false));
        writer.Write(text);
    }

    /// <summary>
    /// Creates <paramref name="path"/> (and missing parents) as a folder only its owner can list or enter (0700 on Unix);
    /// an existing folder is left as it is (it may be the user's own, shared on purpose).
    /// </summary>
    /// <exception cref="IOException">As <see cref="Directory.CreateDirectory(string)"/> throws it.</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to create the folder.</exception>
    public static DirectoryInfo CreateDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (OperatingSystem.IsWindows())
            return Directory.CreateDirectory(path);
        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only: create the missing ones top down.
        string full = Path.GetFullPath(path);
        var missing = new Stack<string>();
        for (string? d = full; d is not null && !Directory.Exists(d); d = Path.GetDirectoryName(d))
            missing.Push(d);
        while (missing.Count > 0)
            Directory.CreateDirectory(missing.Pop(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new DirectoryInfo(full);
    }
}
