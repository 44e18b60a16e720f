using System.Diagnostics;
using Xunit;

namespace LeakLab.IntegrationTests.Capture;

/// <summary>Dumps of real processes, and the one-line errors for every way a dump can fail.</summary>
public sealed class DumpCaptureTests
{
    private static readonly byte[] s_elfMagic = [0x7F, (byte)'E', (byte)'L', (byte)'F'];

    [Fact]
    public async Task Write_gives_an_absolute_ELF_core_file_of_more_than_1_MB()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("static-cache", "--rate", "500");
        await Task.Delay(500);

        DumpResult result = DumpCapture.Write(sample.Pid, Path.Combine(sample.Folder, "a.dmp"));

        Assert.Equal(sample.Pid, result.Pid);
        Assert.True(Path.IsPathFullyQualified(result.Path), result.Path);
        Assert.Equal(Path.Combine(sample.Folder, "a.dmp"), result.Path);
        Assert.Equal(new FileInfo(result.Path).Length, result.Bytes);
        Assert.True(result.Bytes > 1_000_000, $"dump is only {result.Bytes} bytes");
        Assert.True(result.Elapsed > TimeSpan.Zero);
        Assert.Equal(s_elfMagic, ReadHead(result.Path, 4));
        Assert.True(sample.Process.HasExited is false, "the sample must survive being dumped");
        // The mid-GC check really opened the dump (null would mean it could not, and retries would never happen).
        Assert.True(DumpHeapCheck.CanWalkHeap(result.Path), "a dump of a quiet moment has a walkable heap");
        Assert.InRange(result.Attempts, 1, DumpCapture.MaxAttempts);
        Assert.Null(DumpHeapCheck.CanWalkHeap(Path.Combine(sample.Folder, "missing.dmp")));
    }

    [Fact]
    public async Task SampleProcess_DumpAsync_writes_into_its_folder()
    {
        string folder;
        string path;
        await using (SampleProcess sample = await SampleProcess.StartAsync("event-handlers", "--rate", "200"))
        {
            folder = sample.Folder;
            path = await sample.DumpAsync();
            Assert.Equal(Path.Combine(folder, "event-handlers-1.dmp"), path);
            Assert.Equal(s_elfMagic, ReadHead(path, 4));
            Assert.EndsWith("second.dmp", await sample.DumpAsync("second"));
        }
        Assert.False(Directory.Exists(folder), "the fixture folder (and its dumps) must be deleted on dispose");
    }

    [Fact]
    public async Task A_relative_path_is_resolved_against_our_working_directory_not_the_targets()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        string relative = $"leaklab-relative-{Guid.NewGuid():N}.dmp";
        string expected = Path.Combine(Environment.CurrentDirectory, relative);
        try
        {
            DumpResult result = DumpCapture.Write(sample.Pid, relative, DumpCaptureKind.Mini);

            Assert.Equal(expected, result.Path);
            Assert.True(File.Exists(expected));
            Assert.False(File.Exists(Path.Combine(sample.Folder, relative)), "written relative to the target's cwd");
        }
        finally
        {
            File.Delete(expected);
        }
    }

    [Fact]
    public async Task A_folder_as_output_gets_the_default_file_name()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        using var folder = new TempFolder();

        DumpResult result = DumpCapture.Write(sample.Pid, folder.Path, DumpCaptureKind.Mini);

        Assert.Equal(folder.Path, Path.GetDirectoryName(result.Path));
        Assert.Matches($@"^leaklab-LeakLab\.Sample-{sample.Pid}-\d{{8}}-\d{{6}}\.dmp$", Path.GetFileName(result.Path));
        Assert.True(File.Exists(result.Path));
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_overwrite_is_asked()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        string path = Path.Combine(sample.Folder, "exists.dmp");
        await File.WriteAllTextAsync(path, "not a dump");

        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sample.Pid, path, DumpCaptureKind.Mini));
        Assert.Equal(LeakLabErrorKind.WriteFailed, ex.Kind);
        Assert.Equal("not a dump", await File.ReadAllTextAsync(path));

        DumpResult result = DumpCapture.Write(sample.Pid, path, DumpCaptureKind.Mini, overwrite: true);
        Assert.Equal(s_elfMagic, ReadHead(result.Path, 4));
    }

    [Fact]
    public async Task A_dead_pid_says_not_running()
    {
        int pid;
        await using (SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0"))
            pid = sample.Pid; // dispose kills and reaps it
        using var folder = new TempFolder();

        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(pid, folder.File("dead.dmp")));

        Assert.Equal(LeakLabErrorKind.ProcessGone, ex.Kind);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_process_that_is_not_dotnet_gets_a_clear_error()
    {
        using Process sleep = DotNetProcessesTests.StartSleep();
        using var folder = new TempFolder();
        try
        {
            var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sleep.Id, folder.File("sleep.dmp")));

            Assert.Equal(LeakLabErrorKind.NoRuntime, ex.Kind);
            Assert.DoesNotContain('\n', ex.Message);
        }
        finally
        {
            DotNetProcessesTests.Kill(sleep);
        }
    }

    [Fact]
    public async Task A_missing_folder_or_one_we_cannot_write_gets_a_one_line_error_naming_it()
    {
        await using SampleProcess sample = await SampleProcess.StartAsync("control", "--rate", "0");
        string missing = Path.Combine(sample.Folder, "no", "such");

        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sample.Pid, Path.Combine(missing, "x.dmp")));
        Assert.Equal(LeakLabErrorKind.FileMissing, ex.Kind);
        Assert.Contains($"'{missing}'", ex.Message); // names the folder

        // sysfs refuses new files even to root, so this holds whoever runs the tests.
        ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sample.Pid, "/sys/x.dmp"));
        Assert.Equal(LeakLabErrorKind.WriteFailed, ex.Kind);
        Assert.Contains("'/sys'", ex.Message);
        Assert.Contains("'/sys/x.dmp'", ex.Message); // the user's path, never our write probe's
        Assert.DoesNotContain("leaklab-write-test", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task A_folder_the_targets_user_cannot_write_reports_createdumps_reason()
    {
        // Needs root: run the sample as `nobody`, dump into a root-owned 0700 folder. We can write there; the target cannot.
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess)
            return;
        await using SampleProcess sample = await SampleProcess.StartAsUserAsync(65534, "control", "--rate", "0");
        using var folder = new TempFolder();
        File.SetUnixFileMode(folder.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string path = folder.File("x.dmp");

        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(sample.Pid, path, DumpCaptureKind.Mini));

        Assert.Equal(LeakLabErrorKind.WriteFailed, ex.Kind);
        Assert.Contains("Permission denied", ex.Message); // createdump's own reason, passed on
        Assert.DoesNotContain('\n', ex.Message);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_invalid_pid_is_rejected_before_anything_else()
    {
        var ex = Assert.Throws<LeakLabException>(() => DumpCapture.Write(0));
        Assert.Equal(LeakLabErrorKind.BadArgument, ex.Kind);
    }

    private static byte[] ReadHead(string path, int count)
    {
        using FileStream f = File.OpenRead(path);
        var head = new byte[count];
        f.ReadExactly(head);
        return head;
    }
}
