namespace Ledger;

public sealed class Posting(int id)
{
    public int Id { get; } = id;
    public byte[] Lines { get; } = new byte[4000];
}

public sealed class AuditEvent(int id)
{
    public int Id { get; } = id;
    public byte[] Body { get; } = new byte[4000];
}

/// <summary>
/// A slow leak on a large base beside a fast one (issue 8, item 5b): <c>s_postings</c> starts with 6,000 postings of
/// about 4 KiB and gains one every 100 ms (+10 a second, +0.17%), as real services leak slowly relative to their
/// heap; <c>s_audit</c> starts empty and gains 20 every 100 ms. Both lists are sized up front, so only the items
/// grow; nothing else allocates.
/// </summary>
public static class SlowLeakShape
{
    public const int Base = 6_000;

    private static readonly List<Posting> s_postings = new(Base + 100_000);
    private static readonly List<AuditEvent> s_audit = new(1_000_000);

    public static void Run(Action ready)
    {
        for (int i = 0; i < Base; i++)
            s_postings.Add(new Posting(i));
        int posting = Base, audit = 0;
        ready();
        while (true)
        {
            Thread.Sleep(100);
            s_postings.Add(new Posting(posting++));
            for (int i = 0; i < 20; i++)
                s_audit.Add(new AuditEvent(audit++));
        }
    }
}
