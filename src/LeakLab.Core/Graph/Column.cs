using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace LeakLab;

/// <summary>
/// One flat array of the heap graph or of an analysis: a managed array (built in this process) or a section of a
/// memory-mapped graph index (reopened: no copy, only the pages a command touches are read from disk).
/// </summary>
/// <remarks>
/// A mapped column checks its section's checksum on first use (<see cref="MappedSection.Verify"/>), not when the index
/// is opened, so a command that needs three of twelve arrays reads three. Indexing is bounds-checked either way, so
/// even a damaged value can only give a wrong id (which the callers' own id checks catch), never a wild read.
/// </remarks>
internal sealed unsafe class Column<T> where T : unmanaged
{
    private readonly T[]? _array;
    private readonly T* _pointer;
    private MappedSection? _unverified; // null once verified (or for a managed array)

    public Column(T[] array)
    {
        _array = array;
        Length = array.Length;
    }

    /// <param name="pointer">The first element; the mapping lives as long as the process (see <see cref="MappedIndex"/>).</param>
    /// <param name="section">Checked before the first read.</param>
    public Column(T* pointer, int length, MappedSection? section)
    {
        _pointer = pointer;
        Length = length;
        _unverified = section;
    }

    public static implicit operator Column<T>(T[] array) => new(array);

    public int Length { get; }

    /// <summary>True when the values live in a memory-mapped index rather than in a managed array.</summary>
    public bool IsMapped => _array is null;

    /// <summary>The values; the first call on a mapped column checks the section's checksum.</summary>
    /// <exception cref="LeakLabException"><see cref="LeakLabErrorKind.TruncatedOrCorrupt"/>: the section is damaged (the index is removed).</exception>
    public ReadOnlySpan<T> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if (_array is not null)
                return _array;
            if (_unverified is not null)
                Verify();
            return new ReadOnlySpan<T>(_pointer, Length);
        }
    }

    /// <summary>One value, bounds-checked; as <see cref="Span"/> for the first read of a mapped column.</summary>
    public T this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            if ((uint)index >= (uint)Length)
                ThrowOutOfRange();
            if (_array is not null)
                return _array[index];
            if (_unverified is not null)
                Verify();
            return _pointer[index];
        }
    }

    /// <summary>The bytes of the values, for writing them to an index.</summary>
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(Span);

    /// <summary>Bytes this column holds in managed memory (0 for a mapped one: the page cache holds it).</summary>
    public long ManagedBytes => _array is null ? 0 : (long)Length * sizeof(T);

    private void Verify()
    {
        MappedSection? section = _unverified;
        if (section is null)
            return;
        section.Verify();
        _unverified = null;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutOfRange() => throw new IndexOutOfRangeException();
}
