namespace LeakLab.Engine;

/// <summary>Marks the engine assembly; the verb layer and the loader contract live beside this file.</summary>
internal static class EngineInfo
{
}
