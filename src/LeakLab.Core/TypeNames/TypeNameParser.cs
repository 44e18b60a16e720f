using System.Text;

namespace LeakLab.Core.TypeNames;

/// <summary>
/// A small recursive-descent parser for the C#-like type names ClrMD writes (<c>Dictionary&lt;System.String, System.Byte[]&gt;+Entry[]</c>),
/// producing the canonical text described on <see cref="TypeNameNormalizer"/>.
/// </summary>
/// <remarks>
/// Reflection-style names are <see cref="ReflectionTypeNames"/>' (the BCL's <c>System.Reflection.Metadata.TypeName</c>).
/// This parser stays because the BCL reads no C#-like names: angle-bracket argument lists, ", " between arguments,
/// and compiler-generated segments such as <c>&lt;&gt;c__DisplayClass0_0</c> written without escapes.
/// Grammar: <c>type := segment ('+' segment)* (array | '*' | '&amp;')*</c>, <c>segment := name ('&lt;' type (',' type)* '&gt;')?</c>;
/// an assembly name after the whole type (", System.Private.CoreLib") is dropped.
/// </remarks>
internal sealed class TypeNameParser
{
    // Deeper nesting than this is not a real type; it bounds recursion on hostile input.
    private const int MaxDepth = 64;

    private readonly string _text;
    private int _pos;
    private int _depth;

    private TypeNameParser(string text) => _text = text;

    /// <summary>The canonical form, or null when <paramref name="name"/> does not parse.</summary>
    public static string? TryFormat(string name)
    {
        var parser = new TypeNameParser(name);
        TypeNode? node = parser.ParseTopLevel();
        if (node is null)
            return null;
        var sb = new StringBuilder(name.Length);
        node.Format(sb);
        return sb.ToString();
    }

    private TypeNode? ParseTopLevel()
    {
        SkipSpaces();
        TypeNode? node = ParseType();
        if (node is null)
            return null;
        SkipSpaces();
        // ", System.Private.CoreLib, Version=..." after a whole name is its assembly: dropped.
        if (_pos < _text.Length && _text[_pos] != ',')
            return null;
        return node;
    }

    private TypeNode? ParseType()
    {
        if (++_depth > MaxDepth)
            return null;
        try
        {
            var node = new TypeNode();
            if (!ParseSegment(node))
                return null;

            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c == '+' && node.Suffix.Length == 0)
                {
                    _pos++;
                    if (!ParseSegment(node))
                        return null;
                }
                else if (c == '[')
                {
                    if (!IsArraySuffix() || !ParseArraySuffix(node.Suffix))
                        return null; // a bracketed argument list is reflection style: not this parser's
                }
                else if (c is '*' or '&')
                {
                    node.Suffix.Append(c);
                    _pos++;
                }
                else
                {
                    break; // ',' '>' ']' or space: the caller decides
                }
            }
            return node;
        }
        finally
        {
            _depth--;
        }
    }

    private bool ParseSegment(TypeNode node)
    {
        int start = _pos;
        // Compiler-generated names start with an angle-bracketed part (<>c, <Main>d__1, <<Main>$>d__0): that part
        // belongs to the name, unlike a '<' after an identifier, which opens C# generic arguments.
        if (_pos < _text.Length && _text[_pos] == '<')
        {
            int depth = 0;
            do
            {
                char c = _text[_pos++];
                if (c == '<')
                    depth++;
                else if (c == '>')
                    depth--;
            } while (depth > 0 && _pos < _text.Length);
            if (depth != 0)
                return false;
        }
        while (_pos < _text.Length && IsNameChar(_text[_pos]))
            _pos++;
        if (_pos == start)
            return false;

        var segment = new Segment(_text[start.._pos]);
        if (_pos < _text.Length && _text[_pos] == '<')
        {
            _pos++;
            while (true)
            {
                SkipSpaces();
                TypeNode? arg = ParseType();
                if (arg is null)
                    return false;
                segment.Args.Add(arg);
                SkipSpaces();
                if (_pos >= _text.Length)
                    return false;
                char c = _text[_pos++];
                if (c == '>')
                    break;
                if (c != ',')
                    return false;
            }
        }
        node.Segments.Add(segment);
        return true;
    }

    /// <summary>At '[': true for "[]", "[,]", "[*]" (an array rank), false for a generic argument list.</summary>
    private bool IsArraySuffix()
    {
        int p = _pos + 1;
        while (p < _text.Length && _text[p] == ' ')
            p++;
        return p < _text.Length && _text[p] is ']' or ',' or '*';
    }

    private bool ParseArraySuffix(StringBuilder suffix)
    {
        suffix.Append('[');
        _pos++;
        while (_pos < _text.Length)
        {
            char c = _text[_pos++];
            if (c == ']')
            {
                suffix.Append(']');
                return true;
            }
            if (c is ',' or '*')
                suffix.Append(c);
            else if (c != ' ')
                return false;
        }
        return false;
    }

    private void SkipSpaces()
    {
        while (_pos < _text.Length && _text[_pos] == ' ')
            _pos++;
    }

    private static bool IsNameChar(char c) => c switch
    {
        '<' or '>' or '[' or ']' or ',' or '+' or '`' or '*' or '&' or ' ' => false,
        _ => !char.IsControl(c),
    };

    private sealed class Segment(string name)
    {
        public readonly string Name = name;
        public readonly List<TypeNode> Args = [];
    }

    private sealed class TypeNode
    {
        public readonly List<Segment> Segments = [];
        public readonly StringBuilder Suffix = new();

        public void Format(StringBuilder sb)
        {
            for (int i = 0; i < Segments.Count; i++)
            {
                if (i > 0)
                    sb.Append('+');
                Segment s = Segments[i];
                sb.Append(s.Name);
                if (s.Args.Count > 0)
                {
                    sb.Append('<');
                    for (int a = 0; a < s.Args.Count; a++)
                    {
                        if (a > 0)
                            sb.Append(", ");
                        s.Args[a].Format(sb);
                    }
                    sb.Append('>');
                }
            }
            sb.Append(Suffix);
        }
    }
}
