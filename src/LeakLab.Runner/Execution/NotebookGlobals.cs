namespace LeakLab;

/// <summary>
/// What a notebook's C# cells see as globals in the headless runner: <see cref="Session"/> and
/// <c>display(value)</c>, like the .NET Interactive C# kernel's <c>display</c>.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly Action<object?> _display;

    internal NotebookGlobals(LeakLabSession session, Action<object?> display)
    {
        Session = session;
        _display = display;
    }

    /// <summary>The run's session; also <see cref="Lab.Current"/> while the notebook runs.</summary>
    public LeakLabSession Session { get; }

    /// <summary>Shows a value below the cell, formatted as in a kernel (text/html and text/plain).</summary>
#pragma warning disable IDE1006 // lower-case on purpose: the kernel's name for it
    public void display(object? value) => _display(value);
#pragma warning restore IDE1006
}
