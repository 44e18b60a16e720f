using Microsoft.Data.Analysis;

namespace LeakLab.Notebooks.Results;

/// <summary>One table of a result as a DataFrame; <see cref="Name"/> ("types", "roots", "paths"...) names it among the result's tables.</summary>
public sealed record NamedDataFrame(string Name, DataFrame Frame);
