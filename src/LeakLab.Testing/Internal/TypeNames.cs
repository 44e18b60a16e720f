namespace LeakLab.Testing.Internal;

/// <summary>A reflection type's name as heap snapshots spell it (LeakLab's canonical form).</summary>
internal static class TypeNames
{
    // Type.ToString() is the reflection form without assembly names (List`1[System.Int32]), which EventPipe uses too.
    public static string Of(Type type) => TypeNameNormalizer.Normalize(type.ToString());
}
