using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>stats, paths, roots and retained on one real dump of the S01 sample (static cache).</summary>
public sealed class StaticCacheCliTests(StaticCacheDumpFixture fixture) : IClassFixture<StaticCacheDumpFixture>
{
    private const string EntryType = "LeakLab.Sample.CachedOrder";
    private const string CacheField = "LeakLab.Sample.OrderCache.Entries";

    private static JsonElement Json(CliResult result)
    {
        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }

    [Fact]
    public void Stats_json_lists_every_type_with_count_and_bytes()
    {
        JsonElement stats = Json(CliRun.InProcess("stats", fixture.DumpPath, "--json"));
        JsonElement rows = stats.GetProperty("types");
        // A sound dump reads whole: every object the stats count, every root resolved, nothing skipped.
        JsonElement load = stats.GetProperty("load");
        Assert.True(load.GetProperty("clean").GetBoolean(), load.ToString());
        Assert.Equal(rows.EnumerateArray().Sum(r => r.GetProperty("count").GetInt64()), load.GetProperty("objects").GetInt64());
        Assert.Equal(rows.EnumerateArray().Sum(r => r.GetProperty("bytes").GetInt64()), load.GetProperty("bytes").GetInt64());
        Assert.Equal(0, load.GetProperty("rootsUnresolved").GetInt32());
        Assert.Equal(0, load.GetProperty("damage").GetProperty("badObjects").GetInt32());

        Assert.Equal(JsonValueKind.Array, rows.ValueKind);
        Assert.True(rows.GetArrayLength() > 20, $"only {rows.GetArrayLength()} types");
        foreach (JsonElement row in rows.EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(row.GetProperty("type").GetString()));
            Assert.True(row.GetProperty("count").GetInt64() > 0);
            Assert.True(row.GetProperty("bytes").GetInt64() > 0);
            Assert.True(row.GetProperty("retained").GetInt64() >= 0); // --json always carries retained sizes
        }
        JsonElement entry = rows.EnumerateArray().Single(r => r.GetProperty("type").GetString() == EntryType);
        Assert.True(entry.GetProperty("count").GetInt64() >= 500, $"{entry.GetProperty("count")} leaked entries");
        long[] bytes = [.. rows.EnumerateArray().Select(r => r.GetProperty("bytes").GetInt64())];
        Assert.Equal(bytes.OrderByDescending(b => b), bytes); // largest first
    }

    [Fact]
    public void Stats_json_with_retained_carries_each_types_retained_size()
    {
        JsonElement rows = Json(CliRun.InProcess("stats", fixture.DumpPath, "--type", "LeakLab.Sample", "--retained", "--json")).GetProperty("types");

        Assert.All(rows.EnumerateArray(), r => Assert.Contains("LeakLab.Sample", r.GetProperty("type").GetString()));
        JsonElement entry = rows.EnumerateArray().Single(r => r.GetProperty("type").GetString() == EntryType);
        // Every leaked entry (reachable from the cache; committed ones are garbage) holds a 1 KB payload nobody else
        // references, so the type retains more than leaked × 1 KB.
        JsonElement paths = Json(CliRun.InProcess("paths", fixture.DumpPath, "--type", EntryType, "--json")).GetProperty("paths");
        long leaked = paths.EnumerateArray().Sum(p => p.GetProperty("count").GetInt64());
        Assert.True(leaked >= 500, $"{leaked} leaked entries");
        Assert.True(entry.GetProperty("retained").GetInt64() > leaked * 1024, $"{leaked} leaked; {entry}");
    }

    [Fact]
    public void Stats_text_is_an_aligned_table_limited_by_top()
    {
        CliResult result = CliRun.InProcess("stats", fixture.DumpPath, "--top", "5");
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["Count", "Bytes", "Type"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("---", lines[1]);
        int typeColumn = lines[0].IndexOf("Type", StringComparison.Ordinal);
        for (int i = 2; i < 7; i++)
            Assert.True(lines[i].Length > typeColumn && lines[i][typeColumn - 1] == ' ' && lines[i][typeColumn] != ' ', lines[i]);
        Assert.Contains("more types not shown", lines[7]);
        Assert.StartsWith("Total: ", lines[8]);
        Assert.Matches(@"^leaklab: read .*\(\d+\.\d+ s\)$", result.StderrLines.Single()); // progress on stderr, with its time
    }

    [Fact]
    public void Paths_json_to_the_leaked_entries_start_at_the_static_field()
    {
        JsonElement paths = Json(CliRun.InProcess("paths", fixture.DumpPath, "--type", EntryType, "--json")).GetProperty("paths");

        JsonElement top = paths[0];
        Assert.Equal("StaticField", top.GetProperty("root").GetProperty("kind").GetString());
        Assert.Equal(CacheField, top.GetProperty("root").GetProperty("name").GetString());
        Assert.True(top.GetProperty("count").GetInt32() >= 500);
        JsonElement[] steps = [.. top.GetProperty("steps").EnumerateArray()];
        Assert.Contains("Dictionary", steps[0].GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("field").ValueKind);
        Assert.Equal(EntryType, steps[^1].GetProperty("type").GetString());
        Assert.All(steps[1..], s => Assert.False(string.IsNullOrEmpty(s.GetProperty("field").GetString())));
    }

    [Fact]
    public void Paths_text_draws_the_chain_from_the_static_field()
    {
        CliResult result = CliRun.InProcess("paths", fixture.DumpPath, "--type", EntryType);
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n');

        lines = lines[Array.FindIndex(lines, l => l.StartsWith("Path 1 of ", StringComparison.Ordinal))..];
        Assert.StartsWith("Path 1 of ", lines[0]);
        Assert.Equal("  root: static OrderCache.Entries", lines[1]); // short names: namespaces dropped
        Assert.Contains("Dictionary", lines[2]);
        Assert.Contains("._entries", lines[2]);           // the field that leads on
        Assert.Contains("CachedOrder", result.Stdout);
        Assert.True(lines[3].Length - lines[3].TrimStart().Length > lines[2].Length - lines[2].TrimStart().Length); // indented
    }

    [Fact]
    public void Paths_by_address_accepts_hex_with_or_without_0x()
    {
        JsonElement byType = Json(CliRun.InProcess("paths", fixture.DumpPath, "--type", EntryType, "--json")).GetProperty("paths");
        string address = byType[0].GetProperty("exampleAddress").GetString()!;
        Assert.StartsWith("0x", address);

        foreach (string form in new[] { address, address[2..] })
        {
            JsonElement paths = Json(CliRun.InProcess("paths", fixture.DumpPath, "--address", form, "--json")).GetProperty("paths");
            Assert.Equal(1, paths.GetArrayLength());
            Assert.Equal(1, paths[0].GetProperty("count").GetInt32());
            Assert.Equal(address, paths[0].GetProperty("exampleAddress").GetString());
            Assert.Equal(CacheField, paths[0].GetProperty("root").GetProperty("name").GetString());
        }
    }

    [Fact]
    public void Roots_json_names_kind_name_and_type_and_filters_by_kind()
    {
        JsonElement all = Json(CliRun.InProcess("roots", fixture.DumpPath, "--json")).GetProperty("roots");
        Assert.All(all.EnumerateArray(), r =>
        {
            Assert.True(Enum.TryParse<RootKind>(r.GetProperty("kind").GetString(), out _), r.ToString());
            Assert.False(string.IsNullOrEmpty(r.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrEmpty(r.GetProperty("type").GetString()));
        });
        JsonElement cache = all.EnumerateArray().Single(r => r.GetProperty("name").GetString() == CacheField);
        Assert.Equal("StaticField", cache.GetProperty("kind").GetString());
        Assert.Contains("Dictionary", cache.GetProperty("type").GetString());

        JsonElement statics = Json(CliRun.InProcess("roots", fixture.DumpPath, "--kind", "static", "--json")).GetProperty("roots");
        Assert.True(statics.GetArrayLength() > 0 && statics.GetArrayLength() < all.GetArrayLength());
        Assert.All(statics.EnumerateArray(), r => Assert.Contains(r.GetProperty("kind").GetString(), new[] { "StaticField", "ThreadStaticField" }));
    }

    [Fact]
    public void Retained_json_has_objects_types_roots_and_unreachable()
    {
        JsonElement retained = Json(CliRun.InProcess("retained", fixture.DumpPath, "--top", "5", "--json"));

        JsonElement[] objects = [.. retained.GetProperty("objects").EnumerateArray()];
        Assert.InRange(objects.Length, 1, 5);
        long[] sizes = [.. objects.Select(o => o.GetProperty("retained").GetInt64())];
        Assert.Equal(sizes.OrderByDescending(s => s), sizes);
        Assert.InRange(retained.GetProperty("types").GetArrayLength(), 1, 5);
        Assert.True(retained.GetProperty("unreachable").GetProperty("count").GetInt64() >= 0);
        Assert.True(retained.GetProperty("unreachable").GetProperty("bytes").GetInt64() >= 0);

        // The leaking cache is the biggest root: it holds every leaked entry and its payload.
        JsonElement topRoot = retained.GetProperty("roots")[0];
        Assert.Equal(CacheField, topRoot.GetProperty("name").GetString());
        Assert.True(topRoot.GetProperty("retained").GetInt64() > 500 * 1024, topRoot.ToString());
    }

    [Fact]
    public void Retained_types_count_reachable_objects_only_as_paths_does()
    {
        // The committed entries are garbage: counting them made a type's bytes exceed what it retains.
        JsonElement types = Json(CliRun.InProcess("retained", fixture.DumpPath, "--top", "8", "--json")).GetProperty("types");
        Assert.True(types.GetArrayLength() > 0);
        foreach (JsonElement row in types.EnumerateArray())
        {
            string type = row.GetProperty("type").GetString()!;
            Assert.True(row.GetProperty("retained").GetInt64() >= row.GetProperty("bytes").GetInt64(), row.ToString());
            CliResult paths = CliRun.InProcess("paths", fixture.DumpPath, "--type", type, "--limit", "1");
            Assert.True(paths.ExitCode == 0, paths.ToString());
            // "N objects, all reachable", "N objects, M reachable", or "1 object, reachable" from a root.
            Match m = Regex.Match(paths.Stdout, @": ([\d,]+) objects?, (?:all |([\d,]+) )?reachable from a root");
            Assert.True(m.Success, paths.Stdout);
            string reachable = m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value;
            Assert.Equal(long.Parse(reachable.Replace(",", "")), row.GetProperty("count").GetInt64());
        }
    }

    [Fact]
    public void Stats_of_some_types_says_its_garbage_count_is_the_whole_heaps()
    {
        // Under --type the rows are a few types, the unreachable count the whole heap's: "Total: 20 objects" above
        // "Counts include 16,681 unreachable objects" read as a contradiction.
        CliResult result = CliRun.InProcess("stats", fixture.DumpPath, "--type", "CachedOrder", "--retained", "--width", "400");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"Counts include unreachable objects \(garbage the next GC frees; [\d,]+ in the whole heap\)", result.Stdout);
    }

    [Fact]
    public void Retained_text_shows_three_tables()
    {
        CliResult result = CliRun.InProcess("retained", fixture.DumpPath, "--top", "3");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Objects by retained size", result.Stdout);
        Assert.Contains("Types by retained size", result.Stdout);
        Assert.Contains("Roots by retained size", result.Stdout);
        Assert.Contains("OrderCache.Entries", result.Stdout);
        Assert.Contains("unreachable", result.Stdout);
    }

    [Fact]
    public void A_truncated_copy_of_the_dump_is_one_line_error()
    {
        using var folder = new TempFolder();
        string cut = folder.File("cut.dmp");
        using (FileStream source = File.OpenRead(fixture.DumpPath))
        using (FileStream target = File.Create(cut))
        {
            var buffer = new byte[source.Length / 2];
            source.ReadExactly(buffer);
            target.Write(buffer);
        }
        foreach (string command in new[] { "stats", "roots", "retained" })
            CliRun.AssertOneLineError(CliRun.InProcess(command, cut), 1, "truncated");
    }

    [Fact]
    public async Task Leaklab_runs_as_a_real_process_and_prints_only_json_on_stdout()
    {
        CliResult result = await CliRun.AsProcessAsync(TimeSpan.FromMinutes(2), "paths", fixture.DumpPath, "--type", EntryType, "--json");
        JsonElement paths = Json(result).GetProperty("paths");
        Assert.Equal(CacheField, paths[0].GetProperty("root").GetProperty("name").GetString());
        Assert.Contains("loaded", result.Stderr);
        Assert.DoesNotContain("loaded", result.Stdout);
    }

    [Fact]
    public void Ps_lists_the_sample_and_dump_writes_a_file_that_loads()
    {
        CliResult ps = CliRun.InProcess("ps");
        Assert.True(ps.ExitCode == 0, ps.ToString());
        Assert.Contains(ps.Stdout.Split('\n'), l => l.TrimStart().StartsWith($"{fixture.Pid}  LeakLab.Sample", StringComparison.Ordinal));

        using var folder = new TempFolder();
        string target = folder.File("by-pid.dmp");
        CliResult dump = CliRun.InProcess("dump", "--pid", fixture.Pid.ToString(), "-o", target);
        Assert.True(dump.ExitCode == 0, dump.ToString());
        string[] lines = dump.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Wrote {target}", lines[0]);                              // where
        Assert.Matches(@"^  \d+\.\d (KiB|MiB|GiB) \([\d,]+ bytes\) written in \d+\.\d+ s, process \d+$", lines[1]); // how big, how long
        Assert.True(new FileInfo(target).Length > 1024 * 1024);

        CliRun.AssertOneLineError(CliRun.InProcess("dump", "--pid", fixture.Pid.ToString(), "-o", target), 1, "exists");
        CliResult again = CliRun.InProcess("dump", "--pid", fixture.Pid.ToString(), "-o", target, "--overwrite");
        Assert.True(again.ExitCode == 0, again.ToString());

        CliResult roots = CliRun.InProcess("roots", target, "--kind", "StaticField", "--full-names", "--width", "300");
        Assert.True(roots.ExitCode == 0, roots.ToString());
        Assert.Contains(CacheField, roots.Stdout);
    }

    /// <summary>Issue 15: every line of every text output, stdout and stderr, fits the width; wrapped lines are indented.</summary>
    [Theory]
    [InlineData("stats")]
    [InlineData("stats", "--retained")]
    [InlineData("paths", "--type", "CachedOrder")]
    [InlineData("paths", "--type", "Cached")]
    [InlineData("roots")]
    [InlineData("retained")]
    [InlineData("inspect")]
    public void Text_output_fits_the_width(params string[] command)
    {
        CliResult result = CliRun.InProcess([command[0], fixture.DumpPath, .. command[1..], "--width", "70"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = [.. result.Stdout.Split('\n'), .. result.Stderr.Split('\n')];
        Assert.All(lines, l => Assert.True(l.Length <= 70, $"{l.Length} columns: {l}\n{result}"));
    }

    [Fact]
    public void Bench_ends_with_the_summary_line_of_ratios_measured_in_the_same_run()
    {
        CliResult result = CliRun.InProcess("bench", "load", fixture.DumpPath);
        Assert.True(result.ExitCode == 0, result.ToString());
        string last = result.Stdout.TrimEnd().Split('\n')[^1];
        var match = System.Text.RegularExpressions.Regex.Match(last,
            @"^stats/bare=(\d+\.\d\d) load/bare=(\d+\.\d\d) bytes/object=(\d+) objects=(\d+) dominators/load=(\d+\.\d\d) extra-bytes/object=(\d+)$");
        Assert.True(match.Success, last);
        Assert.True(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, last);
        Assert.True(long.Parse(match.Groups[3].Value) > 0, last);
        Assert.True(long.Parse(match.Groups[4].Value) > 1000, last); // the sample's heap, not an empty graph
    }
}
