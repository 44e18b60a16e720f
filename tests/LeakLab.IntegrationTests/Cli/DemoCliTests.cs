using System.Diagnostics;
using System.Text.Json;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// <c>leaklab demo</c> end to end: it starts the sample, takes three dumps, names the leak, and always stops the sample.
/// </summary>
public sealed class DemoCliTests
{
    [Fact]
    public void Static_cache_demo_names_the_growing_type_its_static_field_and_keeps_the_dumps_for_diff()
    {
        using var folder = new TempFolder("leaklab-demo-test");
        CliResult result = CliRun.InProcess("demo", "static-cache", "--interval", "1", "--keep-dump", folder.Path);
        Assert.True(result.ExitCode == 0, result.ToString());

        Assert.StartsWith("LeakLab demo: scenario 'static-cache', 3 snapshots", result.Stdout);
        Assert.Contains("Finding: [S01] Static collection LeakLab.Sample.OrderCache.Entries only grows", result.Stdout); // the inspection leads
        Assert.Contains("Top suspect:", result.Stdout);
        Assert.Contains("root  static OrderCache.Entries  (growing", result.Stdout);
        Assert.Contains("root: static OrderCache.Entries", result.Stdout); // the drawn path
        Assert.Contains("Types that grew steadily:", result.Stdout);
        Assert.Contains("CachedOrder", result.Stdout);
        Assert.Contains("is running as pid", result.Stderr);
        Assert.Contains("dump 3/3", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.All(result.StderrLines, l => Assert.True(l.Length <= 100, $"{l.Length} columns: {l}")); // fits a 100-column terminal
        Assert.Contains($"Explore them: leaklab diff {Path.Combine(folder.Path, "*.dmp")}", result.Stdout);

        string[] dumps = Directory.GetFiles(folder.Path, "*.dmp").Order().ToArray();
        Assert.Equal(3, dumps.Length);
        foreach (string d in dumps)
            Assert.Contains(d, result.Stdout);
        AssertNoProcessRunsIn(folder.Path);

        // The kept dumps feed 'diff --json': one element per snapshot, the leak marked growing.
        CliResult diff = CliRun.InProcess(["diff", .. dumps, "--json"]);
        Assert.True(diff.ExitCode == 0, diff.ToString());
        using JsonDocument doc = JsonDocument.Parse(diff.Stdout);
        JsonElement root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("snapshots").GetArrayLength());
        JsonElement entry = root.GetProperty("types").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "LeakLab.Sample.CachedOrder");
        Assert.True(entry.GetProperty("growing").GetBoolean());
        long[] counts = [.. entry.GetProperty("counts").EnumerateArray().Select(c => c.GetInt64())];
        Assert.Equal(3, counts.Length);
        Assert.True(counts[0] < counts[1] && counts[1] < counts[2], string.Join(",", counts));
        Assert.Equal(3, entry.GetProperty("bytes").GetArrayLength());
        Assert.Equal(3, entry.GetProperty("retained").GetArrayLength());
        Assert.True(entry.TryGetProperty("score", out _));
        JsonElement cache = root.GetProperty("roots").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "LeakLab.Sample.OrderCache.Entries");
        Assert.True(cache.GetProperty("growing").GetBoolean());
        Assert.Equal(3, cache.GetProperty("counts").GetArrayLength());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("paths").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("newTypes").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("goneTypes").ValueKind);

        CliResult text = CliRun.InProcess(["diff", .. dumps]);
        Assert.True(text.ExitCode == 0, text.ToString());
        string[] lines = text.Stdout.Split('\n');
        int typesHeader = Array.FindIndex(lines, l => l.StartsWith("Types (suspects first)", StringComparison.Ordinal));
        Assert.StartsWith("yes", lines[typesHeader + 3]); // the first row is a growing suspect
    }

    [Fact]
    public void Control_demo_finds_nothing_growing_and_deletes_its_dumps()
    {
        CliResult result = CliRun.InProcess("demo", "control", "--interval", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No suspect", result.Stdout);
        Assert.Contains("Inspections: no leak found", result.Stdout);
        Assert.Contains("No type grew steadily", result.Stdout);
        string folder = result.Stdout.Split('\n').Single(l => l.StartsWith("Dumps: ", StringComparison.Ordinal));
        Assert.Contains("deleted", folder);
        string path = folder.Split(" files in ")[1].Split(", deleted")[0];
        Assert.False(Directory.Exists(path), path);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_demo_and_its_sample_program()
    {
        var psi = new ProcessStartInfo(SampleProcess.DotNetHostPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in new[] { CliRun.LeakLabDll, "demo", "event-handlers", "--interval", "30" })
            psi.ArgumentList.Add(a);
        using Process demo = Process.Start(psi)!;
        ChildProcessGuard.Register(demo);
        try
        {
            Task<string> stdout = demo.StandardOutput.ReadToEndAsync();
            int samplePid = 0;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (await demo.StandardError.ReadLineAsync(timeout.Token) is { } line)
                {
                    int at = line.IndexOf("is running as pid ", StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        samplePid = int.Parse(line[(at + "is running as pid ".Length)..].Split(' ')[0]);
                        break;
                    }
                }
            }
            Assert.True(samplePid > 0, "the demo never reported its sample's pid");
            Assert.True(IsAlive(samplePid));

            using (Process kill = Process.Start("kill", ["-INT", demo.Id.ToString()])!)
                await kill.WaitForExitAsync();
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
                await demo.WaitForExitAsync(timeout.Token);

            Assert.Equal(130, demo.ExitCode);
            string rest = await demo.StandardError.ReadToEndAsync();
            Assert.Contains("leaklab: cancelled", rest);
            Assert.DoesNotContain("   at ", rest);
            await WaitUntilGone(samplePid);
            Assert.False(IsAlive(samplePid), $"sample {samplePid} still runs after Ctrl+C");
            await stdout;
        }
        finally
        {
            if (!demo.HasExited)
                demo.Kill(entireProcessTree: true);
            ChildProcessGuard.Unregister(demo);
        }
    }

    private static bool IsAlive(int pid)
    {
        // A killed child of an exited parent is reaped by init; until then it is a zombie, which counts as gone.
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
            return false;
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntilGone(int pid)
    {
        for (int i = 0; i < 50 && IsAlive(pid); i++)
            await Task.Delay(100);
    }

    /// <summary>The demo runs its sample inside the dump folder: once it returns, no process may still have it as cwd.</summary>
    private static void AssertNoProcessRunsIn(string folder)
    {
        foreach (string proc in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out int pid))
                continue;
            string? cwd;
            try
            {
                cwd = new DirectoryInfo(Path.Combine(proc, "cwd")).LinkTarget;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (cwd is not null && cwd.TrimEnd('/') == folder.TrimEnd('/') && IsAlive(pid))
                Assert.Fail($"process {pid} still runs in the demo's folder {folder}");
        }
    }
}
