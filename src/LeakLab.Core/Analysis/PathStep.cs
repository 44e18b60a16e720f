namespace LeakLab.Core.Analysis;

/// <summary>
/// One step of a retention path: an object of <paramref name="Type"/>, reached from the previous step
/// through <paramref name="Field"/> ("[]" for an array element, null on the first step, which is the root's object).
/// <paramref name="Repeat"/> &gt; 1 means a run of the same step (a linked list) collapsed into one.
/// </summary>
public sealed record PathStep(string Type, string? Field, int Repeat = 1);
