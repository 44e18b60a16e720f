using System.Text.RegularExpressions;

namespace LeakLab.Presentation.Text;

/// <summary>
/// The pieces a wrapped line may break between: its space-separated words, except that a number stays with the word
/// that follows it ("+2.3 MiB", "5 samples)"), an opening parenthesis with the word after it ("(score 0.90"), and a
/// lone arrow with the numbers on both sides ("49,573 → 120,077"). A break there reads as a value without its unit.
/// </summary>
internal static partial class UnbreakableRuns
{
    /// <summary>The runs of <paramref name="line"/>, in order; joining them with single spaces gives the line back
    /// (an empty run stands for each extra space, as <see cref="string.Split(char, StringSplitOptions)"/> gives).</summary>
    public static List<string> Of(string line)
    {
        string[] words = line.Split(' ');
        var runs = new List<string>(words.Length);
        bool runHasNumber = false;
        for (int i = 0; i < words.Length; i++)
        {
            string word = words[i];
            string? previous = i > 0 ? words[i - 1] : null;
            if (runs.Count > 0 && word.Length > 0 && !string.IsNullOrEmpty(previous) && Joins(previous, word, runHasNumber, Next(words, i)))
            {
                runs[^1] += " " + word;
                runHasNumber |= IsNumber(word);
            }
            else
            {
                runs.Add(word);
                runHasNumber = IsNumber(word);
            }
        }
        return runs;
    }

    private static string? Next(string[] words, int i) => i + 1 < words.Length ? words[i + 1] : null;

    private static bool Joins(string previous, string word, bool runHasNumber, string? next) =>
        (IsNumber(previous) && (char.IsLetter(word[0]) || word[0] == '%'))
        || (previous[0] == '(' && !previous.Contains(')'))
        || (IsArrow(word) && runHasNumber && next is not null && IsNumber(next))
        || (IsArrow(previous) && IsNumber(word));

    private static bool IsArrow(string word) => word is "→" or "->";

    /// <summary>"12", "49,573", "+2.3", "-0.5", "(5", "~3.1", "0.90": a value; "1,234," ends a clause and is not.</summary>
    private static bool IsNumber(string word) => NumberPattern().IsMatch(word);

    [GeneratedRegex(@"^\(?[+\-−~≈]?\d[\d,.]*(?<=\d)%?$")]
    private static partial Regex NumberPattern();
}
