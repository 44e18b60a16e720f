namespace LeakLab.Tests.Live;

/// <summary>The GC memory limit as the runtime derives it, from crafted environments and /proc/PID/cgroup + cgroupfs files.</summary>
public class MemoryLimitTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void AHardLimitInHexWinsOverTheContainer()
    {
        Assert.Equal(new MemoryLimit(0x10000000, "DOTNET_GCHeapHardLimit"), MemoryLimit.Resolve(Env(("GCHeapHardLimit", "0x10000000")), 1L << 32));
        Assert.Equal(0x10000000, MemoryLimit.Resolve(Env(("GCHeapHardLimit", "10000000")), null)!.Bytes);
        // A percent (hex: 0x32 = 50) of the container limit.
        Assert.Equal(500_000_000, MemoryLimit.Resolve(Env(("GCHeapHardLimitPercent", "32")), 1_000_000_000)!.Bytes);
    }

    [Fact]
    public void AContainerLimitGivesThreeQuartersAndNoLimitGivesNone()
    {
        Assert.Equal(new MemoryLimit(750_000_000, "75% of the cgroup memory limit"), MemoryLimit.Resolve(Env(), 1_000_000_000));
        Assert.Null(MemoryLimit.Resolve(Env(), null));
        Assert.Null(MemoryLimit.Resolve(Env(("GCHeapHardLimit", "not hex")), null));
    }

    [Fact]
    public void CgroupV2TakesTheSmallestLimitUpThePath()
    {
        var files = new Dictionary<string, string>
        {
            ["/sys/fs/cgroup/app/worker/memory.max"] = "max\n",
            ["/sys/fs/cgroup/app/memory.max"] = "536870912\n",
            ["/sys/fs/cgroup/memory.max"] = "max\n",
        };
        Assert.Equal(536870912, MemoryLimit.CgroupLimit("0::/app/worker\n", p => files.GetValueOrDefault(p)));
        Assert.Null(MemoryLimit.CgroupLimit("0::/\n", p => files.GetValueOrDefault(p)));
        Assert.Null(MemoryLimit.CgroupLimit(null, p => files.GetValueOrDefault(p)));
    }

    [Fact]
    public void CgroupV1ReadsTheMemoryControllerAndIgnoresItsNoLimitValue()
    {
        var files = new Dictionary<string, string>
        {
            ["/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes"] = "268435456",
            ["/sys/fs/cgroup/memory/docker/memory.limit_in_bytes"] = "9223372036854771712",
        };
        const string ProcCgroup = "12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n";
        Assert.Equal(268435456, MemoryLimit.CgroupLimit(ProcCgroup, p => files.GetValueOrDefault(p)));
        files.Remove("/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes");
        Assert.Null(MemoryLimit.CgroupLimit(ProcCgroup, p => files.GetValueOrDefault(p)));
    }
}
