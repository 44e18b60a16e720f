using System.Runtime.CompilerServices;

namespace Shop.Caching;

public sealed class Invoice(int number)
{
    public int Number { get; } = number;
    public byte[] Payload { get; } = new byte[64];
}

public sealed class Receipt(int number)
{
    public int Number { get; } = number;
}

public sealed class Ticket(int number)
{
    public int Number { get; } = number;
}

public sealed class Coupon(int number)
{
    public int Number { get; } = number;
}

/// <summary>A static field of a generic type: the runtime keeps each instantiation's statics apart from the typedef's.</summary>
public static class Registry<T>
{
    public static readonly List<T> Items = [];

    /// <summary>A static holding a nested type of a generic type: the runtime's events name it <c>Index&lt;T&gt;</c>.</summary>
    public static Index? Lookup;

    public sealed class Index
    {
        public int Version;
    }
}

/// <summary>A thread static of a generic type.</summary>
public static class PerThread<T>
{
    [ThreadStatic]
    public static List<T>? Items;
}

/// <summary>A struct whose fields hold references: as a static it is boxed, and the box holds the list.</summary>
public struct Holder
{
    public List<Receipt> Receipts;
}

/// <summary>
/// Every kind of static the runtime has, each holding a known number of objects: a generic instantiation's static
/// (<c>Registry&lt;Invoice&gt;.Items</c>, 300), a struct static (<c>s_holder.Receipts</c>, 200), a thread static of a
/// class (<c>t_tickets</c>, 150), a struct thread static (<c>t_holder.Receipts</c> shares Receipt, so it holds 0
/// new ones; it holds <c>Coupon</c>s through <c>t_coupons</c>: 120), a generic thread static
/// (<c>PerThread&lt;Coupon&gt;.Items</c>, 90) and a base-library generic static over our own type
/// (<c>EqualityComparer&lt;Invoice&gt;.Default</c>), and a static holding a nested type of a generic type
/// (<c>Registry&lt;Invoice&gt;.Lookup</c>). The main thread keeps its thread statics alive by parking.
/// After READY nothing allocates: the process is quiet.
/// </summary>
public static class StaticsShape
{
    public const int Invoices = 300, Receipts = 200, Tickets = 150, Coupons = 120, ThreadCoupons = 90;

    private static Holder s_holder;

    [ThreadStatic]
    private static List<Ticket>? t_tickets;

    [ThreadStatic]
    private static CouponBox t_coupons;

    public struct CouponBox
    {
        public List<Coupon> Coupons;
    }

    public static void Run(Action ready)
    {
        for (int i = 0; i < Invoices; i++)
            Registry<Invoice>.Items.Add(new Invoice(i));
        s_holder.Receipts = [];
        for (int i = 0; i < Receipts; i++)
            s_holder.Receipts.Add(new Receipt(i));
        t_tickets = [];
        for (int i = 0; i < Tickets; i++)
            t_tickets.Add(new Ticket(i));
        t_coupons.Coupons = [];
        for (int i = 0; i < Coupons; i++)
            t_coupons.Coupons.Add(new Coupon(i));
        PerThread<Coupon>.Items = [];
        for (int i = 0; i < ThreadCoupons; i++)
            PerThread<Coupon>.Items.Add(new Coupon(-i));
        Touch(EqualityComparer<Invoice>.Default);
        Registry<Invoice>.Lookup = new Registry<Invoice>.Index { Version = Invoices };

        GC.Collect();
        ready();
        // Park the main thread: its thread statics stay alive, and nothing on its stack holds the lists.
        Thread.Sleep(Timeout.Infinite);
        GC.KeepAlive(t_tickets);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Touch(object o) => GC.KeepAlive(o);
}
