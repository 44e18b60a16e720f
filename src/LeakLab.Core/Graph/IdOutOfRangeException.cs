using System.Globalization;

namespace LeakLab.Core.Graph;

/// <summary>
/// A <see cref="NodeId"/>, <see cref="TypeId"/>, <see cref="FieldId"/> or <see cref="RootId"/> that is not in the graph
/// it was given to. The one rule: an id is valid when 0 &lt;= index &lt; the graph's count of its kind (the negative
/// special <see cref="FieldId"/> values are valid too). Ids are only meaningful in the graph that made them.
/// </summary>
/// <remarks>A caller's mistake, never bad input: derives from <see cref="ArgumentOutOfRangeException"/>.</remarks>
public sealed class IdOutOfRangeException : ArgumentOutOfRangeException
{
    public IdOutOfRangeException(string paramName, string kind, int index, int count)
        : base(paramName, index, string.Create(CultureInfo.InvariantCulture, $"{kind} {index} is not in this graph ({count:N0} {kind.ToLowerInvariant()}s)."))
    {
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static NodeId Check(NodeId id, int count, string paramName = "node")
    {
        if ((uint)id.Index >= (uint)count)
            throw new IdOutOfRangeException(paramName, "Node", id.Index, count);
        return id;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static TypeId Check(TypeId id, int count, string paramName = "type")
    {
        if ((uint)id.Index >= (uint)count)
            throw new IdOutOfRangeException(paramName, "Type", id.Index, count);
        return id;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static RootId Check(RootId id, int count, string paramName = "root")
    {
        if ((uint)id.Index >= (uint)count)
            throw new IdOutOfRangeException(paramName, "Root", id.Index, count);
        return id;
    }

    internal static FieldId Check(FieldId id, int count, string paramName = "field")
    {
        if (id.Index >= count || id.Index < FieldIds.DependentHandle)
            throw new IdOutOfRangeException(paramName, "Field", id.Index, count);
        return id;
    }
}
