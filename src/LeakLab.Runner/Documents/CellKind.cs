namespace LeakLab.Runner;

internal enum CellKind { Code, Markdown, Raw }
