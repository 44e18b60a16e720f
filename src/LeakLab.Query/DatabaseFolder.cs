using System.Diagnostics;
using System.Globalization;

namespace LeakLab.Query;

/// <summary>
/// The owner-only temp folder of one <see cref="LeakDatabase"/> (<c>leaklab-sql-PID-GUID</c>), and the sweep of folders
/// left by processes that ended without disposing theirs (a notebook kernel that was shut down, a killed host).
/// </summary>
internal static class DatabaseFolder
{
    private const string Prefix = "leaklab-sql-";

    /// <summary>Creates a new folder for this process, after deleting the folders of processes that no longer run.</summary>
    public static string Create()
    {
        SweepStale();
        string folder = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        PrivateFile.CreateDirectory(folder); // owner-only: the database holds the heap's data
        return folder;
    }

    public static void Delete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (DirectoryNotFoundException) { }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void SweepStale()
    {
        string[] folders;
        try { folders = Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        foreach (string folder in folders)
        {
            string name = Path.GetFileName(folder);
            int dash = name.IndexOf('-', Prefix.Length);
            if (dash > 0 && int.TryParse(name.AsSpan(Prefix.Length, dash - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
                && !IsRunning(pid))
                Delete(folder); // another user's folder stays: Delete gives up without permission
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
