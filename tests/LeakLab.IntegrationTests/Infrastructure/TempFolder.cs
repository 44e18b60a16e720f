namespace LeakLab.IntegrationTests;

/// <summary>
/// A fresh folder under the system temp directory, deleted (with everything in it) on dispose.
/// Deletion never throws: a leftover folder must not turn a passing test into a failure.
/// </summary>
public sealed class TempFolder : IDisposable, IAsyncDisposable
{
    public TempFolder(string prefix = "leaklab-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    /// <summary>Absolute path of the folder.</summary>
    public string Path { get; }

    /// <summary>Absolute path of a file (or sub-folder) inside this folder; nothing is created.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
                Directory.Delete(Path, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
