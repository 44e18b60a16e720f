namespace LeakLab.HeapGen;

/// <summary>The generated heap's roots: a static list of customers and a static dictionary of every fourth (objects two roots reach).</summary>
public static class ScaleHeap
{
    public static List<Customer> Customers = [];
    public static Dictionary<int, Customer> Favourites = [];
    public static Product[] Catalog = [];
    private static readonly string[] Names = [.. Enumerable.Range(0, 1000).Select(i => $"customer-{i}")];

    /// <summary>About <paramref name="objects"/> objects (each customer brings 48).</summary>
    public static void Build(long objects)
    {
        Catalog = [.. Enumerable.Range(0, 2000).Select(i => new Product(i, $"product-{i}"))];
        long customers = Math.Max(1, objects / Customer.Objects);
        var list = new List<Customer>((int)Math.Min(customers, int.MaxValue - 64));
        var favourites = new Dictionary<int, Customer>();
        for (int i = 0; i < customers; i++)
        {
            var c = new Customer(i, Names[i % Names.Length], Catalog);
            list.Add(c);
            if (i % 4 == 0)
                favourites[i] = c;
        }
        Customers = list;
        Favourites = favourites;
    }
}

/// <summary>One customer: 48 objects (itself, an account with a 7-node tree of parts, 4 orders with lines, a chain of 8 links).</summary>
public sealed class Customer
{
    public const int Objects = 48;
    public readonly int Id;
    public readonly string Name; // shared: 1000 names for all customers
    public readonly Account Account;
    public readonly Order? Orders;
    public readonly ChainLink? Links;

    public Customer(int id, string name, Product[] catalog)
    {
        Id = id;
        Name = name;
        Account = new Account(TreeNode.Build(3, id));
        for (int k = 0; k < 4; k++)
            Orders = new Order(Orders, [new OrderLine(catalog[(id + k) % catalog.Length], k + 1), new OrderLine(catalog[(id * 31 + k) % catalog.Length], 1)]);
        for (int k = 0; k < 8; k++)
            Links = new ChainLink(Links, [id, k]);
    }
}

public sealed class Account(TreeNode root)
{
    public readonly TreeNode Root = root;
}

/// <summary>A binary tree node with a part of one of 16 generic types.</summary>
public sealed class TreeNode
{
    public readonly TreeNode? Left, Right;
    public readonly object Part;

    private TreeNode(TreeNode? left, TreeNode? right, object part)
    {
        Left = left;
        Right = right;
        Part = part;
    }

    public static TreeNode Build(int depth, int seed) => new(
        depth > 1 ? Build(depth - 1, seed * 2) : null,
        depth > 1 ? Build(depth - 1, seed * 2 + 1) : null,
        Parts.Make(seed));
}

public sealed class Part<T>(T value)
{
    public readonly T Value = value;
}

internal static class Parts
{
    public static object Make(int seed) => (seed & 15) switch
    {
        0 => new Part<byte>((byte)seed), 1 => new Part<short>((short)seed), 2 => new Part<int>(seed), 3 => new Part<long>(seed),
        4 => new Part<float>(seed), 5 => new Part<double>(seed), 6 => new Part<decimal>(seed), 7 => new Part<char>((char)seed),
        8 => new Part<bool>(seed % 2 == 0), 9 => new Part<Guid>(Guid.Empty), 10 => new Part<DateTime>(DateTime.UnixEpoch),
        11 => new Part<TimeSpan>(TimeSpan.FromTicks(seed)), 12 => new Part<sbyte>((sbyte)seed), 13 => new Part<ushort>((ushort)seed),
        14 => new Part<uint>((uint)seed), _ => new Part<ulong>((ulong)seed),
    };
}

public sealed class Order(Order? next, OrderLine[] lines)
{
    public readonly Order? Next = next;
    public readonly OrderLine[] Lines = lines;
}

public sealed class OrderLine(Product product, int quantity)
{
    public readonly Product Product = product; // shared: 2000 products for all lines
    public readonly int Quantity = quantity;
}

public sealed class Product(int id, string name)
{
    public readonly int Id = id;
    public readonly string Name = name;
}

public sealed class ChainLink(ChainLink? next, long[] values)
{
    public readonly ChainLink? Next = next;
    public readonly long[] Values = values;
}

/// <summary>The cache that only grows (one entry per step).</summary>
public static class ScaleCache
{
    public static readonly List<ScaleCacheEntry> Entries = [];
}

public sealed class ScaleCacheEntry(Customer? owner, byte[] payload)
{
    public readonly Customer? Owner = owner;
    public readonly byte[] Payload = payload;
}
