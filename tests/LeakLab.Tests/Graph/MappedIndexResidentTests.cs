using System.Globalization;

namespace LeakLab.Tests.Graph;

/// <summary>
/// <see cref="MappedIndex.ReleaseResidentPages"/> (issue 13.3): the pages of a mapped index leave the resident set,
/// as /proc/self/smaps counts them for the mappings of that file alone, and read back with the same bytes.
/// </summary>
/// <remarks>
/// Alone, not in parallel with other tests: every dominator computation in this process releases the pages of every
/// mapping, so another test's could empty the resident set this one measures before the release under test.
/// </remarks>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Collection(nameof(MappedIndexResidentTests))]
public sealed class MappedIndexResidentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("leaklab-resident-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Released_pages_leave_the_resident_set_and_read_back_the_same()
    {
        string dump = Path.Combine(_dir, "core.9");
        File.WriteAllBytes(dump, [1, 2, 3, 4]);
        var b = new HeapGraphBuilder();
        TypeId type = b.AddType("App.Node");
        for (int v = 0; v < 400_000; v++)
            b.AddNode(type, 24, Generation.Gen2, 0x7f00_0000_0000UL + (ulong)v * 0x18);
        b.AddRoot(RootKind.StaticField, "App.Holder.Root", (NodeId)0);
        HeapGraph walked = b.Build(new SnapshotInfo { SourceKind = "dump" });
        _ = GraphIndex.Open(dump, () => walked); // writes the sidecar: about 3.2 MB of addresses alone

        string index = dump + ".llidx";
        MappedIndex map = MappedIndex.Map(index);
        long before = Checksum(map);
        Assert.True(ResidentKb(index) > 2_000, $"reading the whole mapping made only {ResidentKb(index)} kB resident");

        MappedIndex.ReleaseResidentPages();
        Assert.True(ResidentKb(index) < 100, $"{ResidentKb(index)} kB still resident after the release");
        Assert.Equal(before, Checksum(map));
    }

    private static long Checksum(MappedIndex map)
    {
        using UnmanagedMemoryStream stream = map.Stream();
        long sum = 0;
        for (int b = stream.ReadByte(); b >= 0; b = stream.ReadByte())
            sum = sum * 31 + b;
        return sum;
    }

    /// <summary>The Rss lines of every mapping of <paramref name="file"/> in this process, summed, in kB.</summary>
    private static long ResidentKb(string file)
    {
        long total = 0;
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && line.Length > dash + 1 && Uri.IsHexDigit(line[0]) && Uri.IsHexDigit(line[dash + 1]))
            {
                inside = line.EndsWith(" " + file, StringComparison.Ordinal); // a mapping's header line: range ... path
                continue;
            }
            if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
                total += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return total;
    }
}

[CollectionDefinition(nameof(MappedIndexResidentTests), DisableParallelization = true)]
public sealed class MappedIndexResidentCollection;
