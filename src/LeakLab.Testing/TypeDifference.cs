namespace LeakLab.Testing;

/// <summary>
/// How the live instances of one type changed across a block: <see cref="Before"/> = <see cref="Survived"/> +
/// <see cref="Dead"/>, <see cref="After"/> = <see cref="Survived"/> + <see cref="New"/>.
/// </summary>
/// <param name="Type">The type's name as heap snapshots spell it (namespace-qualified, C#-style generics).</param>
/// <param name="Before">Live instances before the block.</param>
/// <param name="After">Live instances after the block (and a full GC).</param>
/// <param name="New">Instances alive after the block that were not alive before it.</param>
/// <param name="Survived">Instances alive before and after (the same objects, followed through every GC in between).</param>
/// <param name="Dead">Instances alive before the block and gone after it.</param>
/// <param name="AfterBytes">Shallow bytes of the instances alive after the block.</param>
public sealed record TypeDifference(string Type, int Before, int After, int New, int Survived, int Dead, long AfterBytes);
