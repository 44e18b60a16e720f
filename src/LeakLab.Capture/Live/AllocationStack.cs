namespace LeakLab.Capture.Live;

/// <summary>
/// One call stack that allocated one type during a watch, with the samples that named it.
/// </summary>
/// <param name="Type">The allocated type (runtime name, normalised as snapshots name it).</param>
/// <param name="Frames">The stack, innermost frame first (see <see cref="AllocationSample.Stack"/>).</param>
/// <param name="Samples">How many allocation samples had this type and stack.</param>
/// <param name="Bytes">Bytes those samples stand for (an estimate of the bytes allocated there).</param>
public sealed record AllocationStack(string Type, IReadOnlyList<string> Frames, long Samples, long Bytes)
{
    /// <summary>
    /// The frames as one line, innermost first and without parameter lists: <c>A.Alloc ← B.Caller ← C.Main</c>, at most
    /// <paramref name="frames"/> of them.
    /// </summary>
    public string Describe(int frames = 4) => Describe(frames, name => name);

    /// <summary>As <see cref="Describe(int)"/>, each method named as <paramref name="name"/> shows it (a host's short names).</summary>
    public string Describe(int frames, Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Frames.Count == 0 ? "(no stack)" : string.Join(" ← ", Frames.Take(frames).Select(f => name(Method(f)))) + (Frames.Count > frames ? " ← …" : "");
    }

    /// <summary>A frame without its parameter list (<c>Ns.Type.Method(int32,bool)</c> → <c>Ns.Type.Method</c>).</summary>
    public static string Method(string frame)
    {
        int paren = frame.IndexOf('(');
        return paren > 0 ? frame[..paren] : frame;
    }
}
