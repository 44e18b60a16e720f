using LeakLab.Core.Graph.Index;

namespace LeakLab.Tests.Graph;

/// <summary>
/// The direct (page-cache-bypassing) index writer gives the same file as a plain stream under the same writes: forward
/// writes across its 8 MiB buffer, seeks back into the buffer and behind it, and appends that start mid-block.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DirectWriteStreamTests : IDisposable
{
    // Beside the test binaries, on the disk: /tmp may be a tmpfs, which can refuse direct I/O (the stream then falls back).
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, $"direct-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 5_000)]
    [InlineData(3, 4_096)]
    [InlineData(4, 123_457)]
    public void Same_bytes_as_a_plain_stream(int seed, int existing)
    {
        var random = new Random(seed);
        string path = Path.Combine(_dir, $"f{seed}");
        byte[] head = new byte[existing];
        random.NextBytes(head);
        File.WriteAllBytes(path, [.. head, 1, 2, 3]); // a tail past `existing` that the append replaces
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using (var cut = new FileStream(path, FileMode.Open))
            cut.SetLength(existing);
        var expected = new MemoryStream();
        expected.Write(head);

        using (Stream direct = DirectWriteStream.Open(path, existing))
        {
            if (OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
                    is System.Runtime.InteropServices.Architecture.X64 or System.Runtime.InteropServices.Architecture.Arm64)
                Assert.IsType<DirectWriteStream>(direct); // what is tested here: not the fallback
            for (int op = 0; op < 40; op++)
            {
                int size = random.Next(4) switch
                {
                    0 => random.Next(1, 17),
                    1 => random.Next(1, 70_000),
                    2 => random.Next(1, 3 << 20),
                    _ => 9 << 20, // bigger than the buffer
                };
                byte[] data = new byte[size];
                random.NextBytes(data);
                if (random.Next(5) == 0 && expected.Length > existing + 16)
                {
                    // A frame patched after its payload: sometimes still buffered, sometimes long written.
                    long back = random.Next(existing, (int)expected.Length - 12);
                    byte[] patch = data[..Math.Min(12, data.Length)];
                    long end = expected.Length;
                    expected.Position = back;
                    expected.Write(patch);
                    expected.Position = end;
                    direct.Position = back;
                    direct.Write(patch);
                    direct.Position = end;
                    Assert.Equal(end, direct.Position);
                }
                else
                {
                    expected.Write(data);
                    direct.Write(data);
                }
                Assert.Equal(expected.Length, direct.Length);
            }
        }
        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Seeking_past_what_was_written_is_refused()
    {
        string path = Path.Combine(_dir, "g");
        File.WriteAllBytes(path, []);
        using Stream direct = DirectWriteStream.Open(path, 0);
        direct.Write(new byte[10]);
        Assert.Throws<NotSupportedException>(() => direct.Position = 11);
    }
}
