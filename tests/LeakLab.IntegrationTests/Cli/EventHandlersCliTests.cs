using System.Text.Json;

namespace LeakLab.IntegrationTests.Cli;

/// <summary>paths on a real dump of the S02 sample: subscribers kept by a static event.</summary>
public sealed class EventHandlersCliTests(EventHandlersDumpFixture fixture) : IClassFixture<EventHandlersDumpFixture>
{
    private const string Subscriber = "LeakLab.Sample.PriceSubscriber";

    [Fact]
    public void Paths_json_to_subscribers_start_at_the_event_field()
    {
        CliResult result = CliRun.InProcess("paths", fixture.DumpPath, "--type", Subscriber, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        using JsonDocument doc = JsonDocument.Parse(result.Stdout);
        JsonElement top = doc.RootElement.GetProperty("paths")[0];

        JsonElement root = top.GetProperty("root");
        Assert.Contains(root.GetProperty("kind").GetString(), new[] { "StaticField", "Event" });
        Assert.EndsWith("PriceFeed.PriceChanged", root.GetProperty("name").GetString());
        Assert.True(top.GetProperty("count").GetInt32() >= 500, top.ToString());
        JsonElement[] steps = [.. top.GetProperty("steps").EnumerateArray()];
        Assert.Contains("EventHandler", steps[0].GetProperty("type").GetString());
        Assert.Equal(Subscriber, steps[^1].GetProperty("type").GetString());
    }

    [Fact]
    public void Paths_text_names_the_event()
    {
        CliResult result = CliRun.InProcess("paths", fixture.DumpPath, "--type", Subscriber, "--limit", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        string[] lines = result.Stdout.Split('\n');
        Assert.Contains("PriceFeed.PriceChanged", lines[Array.FindIndex(lines, l => l.StartsWith("Path 1 of", StringComparison.Ordinal)) + 1]);
        Assert.Contains("Path 1 of 1", result.Stdout);
    }
}
