namespace LeakLab.Testing.Internal;

/// <summary>
/// Which objects a failure is about: one object by address (when the address is still valid in the snapshot), else
/// every instance of the matching types.
/// </summary>
/// <param name="Address">The object's address when it was read, or 0.</param>
/// <param name="Gen2CollectionsAtAddress">
/// <see cref="GC.CollectionCount"/>(2) when the address was read. The object was in generation 2 then, and only a
/// gen-2 GC moves those, so the address still names it in any snapshot taken while this count is unchanged.
/// </param>
/// <param name="TypeMatches">Whether a (normalised) type name is one of the survivors' types.</param>
internal sealed record SurvivorQuery(ulong Address, int Gen2CollectionsAtAddress, Func<string, bool> TypeMatches)
{
    public static SurvivorQuery ByType(Func<string, bool> typeMatches) => new(0, -1, typeMatches);

    /// <summary>Whether the address names the object in a snapshot taken when the gen-2 count was <paramref name="gen2Collections"/>.</summary>
    public bool AddressValidAt(int gen2Collections) => Address != 0 && gen2Collections == Gen2CollectionsAtAddress;
}
