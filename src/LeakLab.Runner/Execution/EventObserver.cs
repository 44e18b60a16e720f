using Microsoft.DotNet.Interactive.Events;

namespace LeakLab.Runner.Execution;

/// <summary>An observer of the kernel's event stream from a callback (the packages bring no Rx helpers we want to lean on).</summary>
internal sealed class EventObserver(Action<KernelEvent> onNext) : IObserver<KernelEvent>
{
    public void OnNext(KernelEvent value) => onNext(value);
    public void OnError(Exception error) { }
    public void OnCompleted() { }
}
