using System.Diagnostics;

namespace LeakLab.HeapGen;

/// <summary>
/// The heap generator of <c>leaklab bench --scale</c>: <c>LeakLab.HeapGen OBJECTS [--rate N] [--parent-pid PID]</c>
/// builds about OBJECTS live objects of many shapes (<see cref="ScaleHeap"/>: 16 generic part types and a dozen
/// classes, trees, chains, products shared by many order lines, customers two statics reach), prints
/// <c>LEAKLAB-READY {"pid":N,"objects":M}</c> on stdout, then adds N entries per second to a static cache that only
/// grows (so successive dumps differ) until killed or its parent exits.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0 || !long.TryParse(args[0], out long objects) || objects is < 1 or > 500_000_000)
        {
            Console.Error.WriteLine("usage: LeakLab.HeapGen OBJECTS [--rate N] [--parent-pid PID]   (OBJECTS: 1 to 500000000)");
            return 2;
        }
        int rate = 50, parent = 0;
        for (int i = 1; i + 1 < args.Length; i += 2)
        {
            bool ok = args[i] switch
            {
                "--rate" => int.TryParse(args[i + 1], out rate) && rate >= 0,
                "--parent-pid" => int.TryParse(args[i + 1], out parent) && parent > 0,
                _ => false,
            };
            if (!ok)
            {
                Console.Error.WriteLine($"error: bad option '{args[i]} {args[i + 1]}'");
                return 2;
            }
        }

        ScaleHeap.Build(objects);
        ScaleCache.Entries.Add(new ScaleCacheEntry(ScaleHeap.Customers[0], new byte[64]));
        Console.Out.WriteLine($"LEAKLAB-READY {{\"pid\":{Environment.ProcessId},\"objects\":{ScaleHeap.Customers.Count * (long)Customer.Objects}}}");
        Console.Out.Flush();

        var clock = Stopwatch.StartNew();
        long done = 0;
        while (parent == 0 || IsAlive(parent))
        {
            for (long due = (long)(clock.Elapsed.TotalSeconds * rate); done < due; done++)
            {
                Customer owner = ScaleHeap.Customers[(int)(done * 7919 % ScaleHeap.Customers.Count)];
                ScaleCache.Entries.Add(new ScaleCacheEntry(owner, new byte[64]));
            }
            Thread.Sleep(20);
        }
        return 0;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using Process p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
