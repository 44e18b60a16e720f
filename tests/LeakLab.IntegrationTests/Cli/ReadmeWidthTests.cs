using System.Globalization;
using LeakLab.IntegrationTests.Notebooks;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>
/// The READMEs read in a 100-column terminal or editor without scrolling sideways: no line is wider than 100 columns,
/// prose, tables and code alike. A line that is wide only because it holds a URL is allowed (a URL cannot be broken).
/// </summary>
public sealed class ReadmeWidthTests
{
    private const int MaxColumns = 100;

    [Theory]
    [InlineData("README.md")]
    [InlineData("notebooks/README.md")]
    public void No_line_is_wider_than_100_columns(string file)
    {
        string[] lines = File.ReadAllText(Path.Combine(RepoPaths.Root, file)).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        Assert.True(lines.Length > 20, $"{file} has only {lines.Length} lines"); // the real file, not an empty one
        var wide = lines
            .Select((line, i) => (line, number: i + 1, columns: new StringInfo(line).LengthInTextElements))
            .Where(l => l.columns > MaxColumns && !l.line.Contains("://", StringComparison.Ordinal))
            .Select(l => $"{file}:{l.number}: {l.columns} columns: {l.line}")
            .ToList();
        Assert.True(wide.Count == 0, $"{wide.Count} lines over {MaxColumns} columns:\n{string.Join("\n", wide.Take(20))}");
    }
}
