using Microsoft.Diagnostics.Runtime;

namespace LeakLab.Dumps.Runtime;

/// <summary>Tolerant field reads for runtime structures whose private layout changes between .NET versions.</summary>
internal static class ClrValues
{
    /// <summary>An integer field of any width as a long, or null when the field is missing or not an integer.</summary>
    public static long? Integer(ClrObject obj, string field)
    {
        ClrInstanceField? f = obj.Type?.GetFieldByName(field);
        if (f is null)
            return null;
        return f.ElementType switch
        {
            ClrElementType.Int64 => f.Read<long>(obj.Address, interior: false),
            ClrElementType.UInt64 => (long)f.Read<ulong>(obj.Address, interior: false),
            ClrElementType.Int32 => f.Read<int>(obj.Address, interior: false),
            ClrElementType.UInt32 => f.Read<uint>(obj.Address, interior: false),
            ClrElementType.Boolean or ClrElementType.UInt8 => f.Read<byte>(obj.Address, interior: false),
            ClrElementType.NativeInt => (long)f.Read<nint>(obj.Address, interior: false),
            _ => null,
        };
    }

    /// <summary>An object field, or a null object when the field is missing.</summary>
    public static ClrObject Object(ClrObject obj, string field) =>
        obj.Type?.GetFieldByName(field) is { IsObjectReference: true } f ? f.ReadObject(obj.Address, interior: false) : default;

    /// <summary>The normalised name of an object's type, or null for a null object.</summary>
    public static string? TypeName(ClrObject obj) =>
        obj.IsNull || obj.Type is null ? null : TypeNameNormalizer.Normalize(obj.Type.Name ?? "?");

    /// <summary>"Namespace.Type.Method" of a delegate's (first) target method, and the target object's type.</summary>
    public static (string Method, string? TargetType) DelegateTarget(ClrObject del)
    {
        if (del.IsNull || del.Type is null)
            return ("(none)", null);
        try
        {
            ClrDelegateTarget? target = del.AsDelegate().GetDelegateTarget();
            if (target is null)
                return ("(unknown method)", null);
            string method = $"{TypeNameNormalizer.Normalize(target.Method.Type?.Name ?? "?")}.{target.Method.Name}";
            return (method, TypeName(target.TargetObject));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or NullReferenceException)
        {
            return ("(unknown method)", null);
        }
    }

    /// <summary>True when the type is <paramref name="baseName"/> or derives from it.</summary>
    public static bool DerivesFrom(ClrType? type, string baseName)
    {
        for (ClrType? t = type; t is not null; t = t.BaseType)
        {
            if (t.Name == baseName)
                return true;
        }
        return false;
    }
}
