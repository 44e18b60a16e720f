namespace LeakLab.Core.Inspections.Runtime;

/// <summary>
/// A <c>Dictionary</c> keyed by integers (ids, handles) and the shape of its live keys: how many, their range, the
/// greatest common step between them, and the share of the range still present (1 = every id from min to max is
/// there; 0.25 = three in four ids were removed again).
/// </summary>
public sealed record IdKeyedTableRow(ulong Address, string Type, int Count, long MinKey, long MaxKey, long Stride, double Density);
