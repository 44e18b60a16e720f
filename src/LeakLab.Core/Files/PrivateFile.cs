using System.Text;

namespace LeakLab;

/// <summary>
/// Creates files readable and writable by their owner only (mode 0600 on Unix). Everything LeakLab derives from a
/// process's memory (snapshots, SQL databases, reports) goes through here, because such data can hold the process's
/// secrets (tokens, passwords, personal data in strings), exactly like the dump it came from, which createdump writes 0600.
/// </summary>
public static class PrivateFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Opens <paramref name="path"/> for writing with <paramref name="mode"/> (<see cref="FileMode.CreateNew"/> or
    /// <see cref="FileMode.Create"/>, or <see cref="FileMode.Open"/> to update a file in place); a new file is created
    /// owner-only, an existing one replaced or opened is made owner-only.
    /// </summary>
    /// <exception cref="IOException">As <see cref="FileStream"/> throws it (exists, missing folder, disk full).</exception>
    /// <exception cref="UnauthorizedAccessException">No permission to create or replace the file.</exception>
    public static FileStream Create(string path, FileMode mode = FileMode.CreateNew, int bufferSize = 4096)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize };
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
}
