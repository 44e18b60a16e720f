using LeakLab.Tests.Presentation.Html;

namespace LeakLab.Tests.Files;

/// <summary>What LeakLab derives from a process's memory is readable by its owner only (issue 15 item 8).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-private-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void New_and_replaced_files_are_owner_only()
    {
        string created = Path.Combine(_dir, "new.bin");
        using (PrivateFile.Create(created)) { }
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(created));

        string replaced = Path.Combine(_dir, "old.html");
        File.WriteAllText(replaced, "old");
        File.SetUnixFileMode(replaced, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        PrivateFile.WriteAllText(replaced, "<p>secret</p>");
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(replaced));
        Assert.Equal("<p>secret</p>", File.ReadAllText(replaced));
    }

    [Fact]
    public void Snapshot_files_and_sql_databases_are_owner_only()
    {
        HeapGraph graph = HostileHeap.Build(leaked: 5);
        string snapshot = Path.Combine(_dir, "a.llhg");
        HeapSnapshotFile.Save(graph, snapshot);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(snapshot));

        using var db = LeakDatabase.Create(new HeapAnalysis(graph));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(db.ObjectsFilePath));
    }

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>HTML reports show the heap's strings; watch folders and a notebook session's dump folder hold snapshots and dumps.</summary>
    [Fact]
    public void Html_reports_live_recordings_and_folders_are_owner_only()
    {
        string report = Path.Combine(_dir, "report.html");
        new HtmlReport("<secret>").Heading("Types").Save(report);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(report));

        string folder = Path.Combine(_dir, "watch", "nested");
        PrivateFile.CreateDirectory(folder);
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(folder));
        Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(Path.GetDirectoryName(folder)!));

        using (var recorder = new LiveRecorder(folder, DateTimeOffset.UtcNow))
        {
            // A watch's CSVs are written while it runs and may be read meanwhile.
            string[] files = Directory.GetFiles(folder);
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.Equal(OwnerOnly, File.GetUnixFileMode(f)));
            Assert.All(files, f => { using var read = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite); });
        }

        string dumps;
        using (var session = new LeakLabSession())
        {
            dumps = session.DumpFolder;
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(dumps));
        }
        Assert.False(Directory.Exists(dumps)); // the session deletes it
    }
}
