namespace LeakLab.Core.Errors;

/// <summary>Why a <see cref="LeakLabException"/> was thrown: what a caller (a test, a script, a host) can branch on instead of the message.</summary>
public enum LeakLabErrorKind
{
    /// <summary>A value given to LeakLab is wrong: an option, a type pattern, a name, an address, a query.</summary>
    BadArgument,
    /// <summary>A file or folder that was named does not exist (or is a folder where a file was wanted).</summary>
    FileMissing,
    /// <summary>The file exists but is not what was asked for: not a dump, not a LeakLab snapshot, not a notebook.</summary>
    NotADump,
    /// <summary>The file is cut short, or its content is damaged (a heap too damaged to analyse included).</summary>
    TruncatedOrCorrupt,
    /// <summary>No .NET runtime in the dump or process (or not one LeakLab reads: 32-bit, heap caught mid-GC).</summary>
    NoRuntime,
    /// <summary>The runtime's DAC (libmscordaccore.so) for the dump could not be found or loaded.</summary>
    MissingDac,
    /// <summary>The process is not running, exited meanwhile, or no process matches.</summary>
    ProcessGone,
    /// <summary>The process is running but does not answer: stopped, busy, its diagnostic port closed, or a deadline passed.</summary>
    ProcessUnreachable,
    /// <summary>The operating system refused: reading a file or attaching to a process needs rights LeakLab lacks.</summary>
    Permission,
    /// <summary>Writing an output (a dump, a snapshot, a report) failed: no space, no folder, a file in the way.</summary>
    WriteFailed,
    /// <summary>The operation needs something not there yet: no snapshot loaded, too few snapshots, a missing tool.</summary>
    NotReady,
    /// <summary>A step LeakLab ran failed: a notebook cell, a sample program, an external tool.</summary>
    Failed,
}
