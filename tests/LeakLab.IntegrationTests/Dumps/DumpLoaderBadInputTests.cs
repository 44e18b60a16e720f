using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LeakLab.IntegrationTests.Dumps;

/// <summary>
/// Every kind of bad input ends in a <see cref="LeakLabException"/> (that exact type) with a one-line message that
/// says what is wrong and what to do, from both entry points.
/// </summary>
[Collection(StaticCacheLoadFixture.Collection)]
public sealed class DumpLoaderBadInputTests(StaticCacheLoadFixture fixture) : IDisposable
{
    private readonly TempFolder _folder = new("leaklab-bad-dumps");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void AMissingFileIsNamed()
    {
        string path = _folder.File("nope.dmp");
        AssertRejected(path, LeakLabErrorKind.FileMissing);
    }

    [Fact]
    public void AFolderIsNotADump()
    {
        AssertRejected(_folder.Path, LeakLabErrorKind.FileMissing);
    }

    [Fact]
    public void AnEmptyFileIsNotADump()
    {
        string path = _folder.File("empty.dmp");
        File.WriteAllBytes(path, []);
        string message = AssertRejected(path, LeakLabErrorKind.TruncatedOrCorrupt);
        Assert.Contains("leaklab dump --pid", message);
    }

    [Fact]
    public void ATextFileIsNotADump()
    {
        string path = _folder.File("notes.dmp");
        File.WriteAllText(path, "this is not a dump\nat all\n");
        string message = AssertRejected(path, LeakLabErrorKind.NotADump);
        Assert.Contains("take one with `leaklab dump --pid N`", message);
    }

    [Fact]
    public void AProgramIsNotACoreDump()
    {
        string library = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libcoreclr.so");
        AssertRejected(library, LeakLabErrorKind.NotADump);
    }

    [Fact]
    public void TheFirstMegabyteOfARealDumpIsTruncated()
    {
        string path = CopyOfDump("first-mb.dmp", 1 << 20);
        string message = AssertRejected(path, LeakLabErrorKind.TruncatedOrCorrupt);
        Assert.Contains("take it again", message);
    }

    [Fact]
    public void ADumpCutShortNearTheEndIsTruncated()
    {
        long length = new FileInfo(fixture.DumpPath).Length;
        string path = CopyOfDump("most.dmp", length - 4096);
        AssertRejected(path, LeakLabErrorKind.TruncatedOrCorrupt);
    }

    [Fact]
    public void ACoreHeaderWithProgramHeadersBeyondTheFileIsTruncated()
    {
        string path = _folder.File("header-only.dmp");
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = 2; // 64-bit
        header[5] = 1; // little-endian
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(16), 4);     // ET_CORE
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(32), 64);    // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(54), 56);    // e_phentsize
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(56), 1000);  // e_phnum
        File.WriteAllBytes(path, header);
        AssertRejected(path, LeakLabErrorKind.TruncatedOrCorrupt);
    }

    [Fact]
    public void GarbageInTheMiddleOfADumpNeverEscapesAsAnotherException()
    {
        // Overwrite 4 MB in the middle (heap memory, most likely) with noise: the load may survive with fewer
        // objects, or fail, but only ever with a LeakLabException.
        string path = CopyOfDump("noisy.dmp", new FileInfo(fixture.DumpPath).Length);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            var noise = new byte[4 << 20];
            new Random(12345).NextBytes(noise);
            file.Position = file.Length / 2;
            file.Write(noise);
        }
        foreach (Action load in new Action[] { () => DumpLoader.Load(path), () => DumpLoader.ReadTypeStatistics(path) })
        {
            try
            {
                load();
            }
            catch (Exception ex)
            {
                Assert.IsType<LeakLabException>(ex);
                Assert.DoesNotContain('\n', ex.Message);
            }
        }
    }

    private string CopyOfDump(string name, long bytes)
    {
        string path = _folder.File(name);
        using var source = new FileStream(fixture.DumpPath, FileMode.Open, FileAccess.Read);
        using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var buffer = new byte[1 << 20];
        long left = bytes;
        while (left > 0)
        {
            int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
            if (read == 0)
                break;
            target.Write(buffer, 0, read);
            left -= read;
        }
        return path;
    }

    /// <summary>Both entry points throw exactly LeakLabException of that kind with the same one-line message naming the file.</summary>
    private static string AssertRejected(string path, LeakLabErrorKind kind)
    {
        var load = Assert.Throws<LeakLabException>(() => DumpLoader.Load(path));
        var stats = Assert.Throws<LeakLabException>(() => DumpLoader.ReadTypeStatistics(path));
        Assert.Equal(kind, load.Kind);
        Assert.Equal(kind, stats.Kind);
        Assert.Contains(path, load.Message);
        Assert.Equal(load.Message, stats.Message);
        Assert.DoesNotContain('\n', load.Message);
        return load.Message;
    }
}
