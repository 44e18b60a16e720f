using System.Text;

namespace LeakLab.Notebooks.Magic;

/// <summary>
/// Splits a magic-command line like a shell: whitespace separates, "double" or 'single' quotes keep spaces
/// (paths with spaces), and \" inside double quotes is a literal quote.
/// </summary>
/// <remarks>
/// Not System.CommandLine's <c>CommandLineParser.SplitCommandLine</c> (2.0.15): it knows only double quotes, has no
/// escape, and keeps an unclosed quote's rest as a token, where a notebook line needs 'single' quotes and one clear error.
/// </remarks>
internal static class MagicTokenizer
{
    public static List<string> Split(string text)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        bool inToken = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                    quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length && text[i + 1] is '"' or '\\')
                    current.Append(text[++i]);
                else
                    current.Append(c);
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inToken = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inToken)
                    tokens.Add(current.ToString());
                current.Clear();
                inToken = false;
            }
            else
            {
                current.Append(c);
                inToken = true;
            }
        }
        if (quote != '\0')
            throw new LeakLabException(LeakLabErrorKind.BadArgument, $"#!leaklab: a {(quote == '"' ? "double" : "single")} quote is not closed in: {text.Trim()}");
        if (inToken)
            tokens.Add(current.ToString());
        return tokens;
    }
}
