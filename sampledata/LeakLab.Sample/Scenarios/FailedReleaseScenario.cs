namespace LeakLab.Sample;

/// <summary>
/// S13: an exception path skips the release hook. <see cref="UploadHandler.Handle"/> acquires an
/// <see cref="UploadLease"/> in <see cref="LeaseTracker"/>, stores the chunk, and releases the lease afterwards, with
/// no try/finally, so every upload whose checksum fails throws past the release. Exactly one upload in
/// <see cref="FailureEvery"/> fails (those whose id is a multiple of it), so the tracker grows by exactly the failed
/// uploads. One Step = <see cref="FailureEvery"/> uploads, one of them failed (leaked).
/// <c>--fixed</c>: the lease is released in a <c>finally</c>.
/// </summary>
/// <remarks>
/// Evidence: static field <c>LeakLab.Sample.LeaseTracker.s_active</c> → <c>Dictionary&lt;Int64, UploadLease&gt;</c> →
/// <c>Entry[]</c> → <c>UploadLease</c> → <c>Byte[]</c>; every live lease has an <c>UploadId</c> that is a multiple of
/// <see cref="FailureEvery"/>, and there is one per failed upload.
/// </remarks>
public sealed class FailedReleaseScenario : IScenario
{
    public const int FailureEvery = 4;
    private int _payloadBytes = 1024;
    private bool _fixed;
    private long _uploadId;

    public string Name => "failed-release";
    public string Description => $"S13: LeaseTracker.s_active keeps the lease of every failed upload (1 in {FailureEvery}); release is on the success path only";

    public void Setup(SampleOptions options)
    {
        _payloadBytes = options.PayloadBytes;
        _fixed = options.Fixed;
        // One step before READY, so the leaking root exists in the very first snapshot, however soon it is taken.
        Step();
    }

    public void Step()
    {
        for (int i = 0; i < FailureEvery; i++)
        {
            long id = ++_uploadId;
            try
            {
                if (_fixed)
                    UploadHandler.HandleWithRelease(id, new byte[_payloadBytes], checksumOk: id % FailureEvery != 0);
                else
                    UploadHandler.Handle(id, new byte[_payloadBytes], checksumOk: id % FailureEvery != 0);
            }
            catch (ChecksumMismatchException)
            {
                // Reported to the client; the lease acquired inside Handle is forgotten.
            }
        }
    }
}

public static class UploadHandler
{
    public static long Stored;

    public static void Handle(long uploadId, byte[] chunk, bool checksumOk)
    {
        UploadLease lease = LeaseTracker.Acquire(uploadId, chunk);
        if (!checksumOk)
            throw new ChecksumMismatchException(uploadId);
        Stored += chunk.Length;
        LeaseTracker.Release(lease); // only reached on success: there is no try/finally
    }

    /// <summary>The fix: release on every path.</summary>
    public static void HandleWithRelease(long uploadId, byte[] chunk, bool checksumOk)
    {
        UploadLease lease = LeaseTracker.Acquire(uploadId, chunk);
        try
        {
            if (!checksumOk)
                throw new ChecksumMismatchException(uploadId);
            Stored += chunk.Length;
        }
        finally
        {
            LeaseTracker.Release(lease);
        }
    }
}

/// <summary>Uploads in progress, by id; the registry that failed uploads never leave.</summary>
public static class LeaseTracker
{
    private static readonly Dictionary<long, UploadLease> s_active = new();

    public static UploadLease Acquire(long uploadId, byte[] chunk)
    {
        var lease = new UploadLease(uploadId, chunk);
        s_active.Add(uploadId, lease);
        return lease;
    }

    public static void Release(UploadLease lease) => s_active.Remove(lease.UploadId);
}

public sealed class UploadLease(long uploadId, byte[] chunk)
{
    public readonly long UploadId = uploadId;
    public readonly DateTime AcquiredUtc = DateTime.UtcNow;
    public readonly byte[] Chunk = chunk;
}

public sealed class ChecksumMismatchException(long uploadId) : Exception($"upload {uploadId}: checksum mismatch");
