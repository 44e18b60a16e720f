using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;
using static LeakLab.Tests.Presentation.Html.HostileHeap;

namespace LeakLab.Tests.Presentation.Html;

/// <summary>
/// Opens a report in headless Chromium (Debian's, installed by scripts/install-test-deps.sh) and checks from inside the
/// page that the table scripts sort and page, that the charts drew, and that no hostile name ran as script.
/// </summary>
public class HtmlBrowserTests
{
    // Runs after the fragments: drives the first table, reads the second, and records what happened on <body>.
    private const string Probe = """
<script>
(function(){
var ts=document.querySelectorAll('table.ll-table'),t=ts[0];
function vis(tb){return [].filter.call(tb.tBodies[0].rows,function(r){return r.style.display!=='none';});}
var out=[];out.push(vis(t).length);
t.tHead.rows[0].cells[0].click();out.push(vis(t)[0].cells[0].textContent);
t.tHead.rows[0].cells[0].click();out.push(vis(t)[0].cells[0].textContent);
t.parentNode.querySelector('.ll-next').click();out.push(vis(t)[0].cells[0].textContent);
var s=t.parentNode.querySelector('select');s.value='0';s.dispatchEvent(new Event('change'));out.push(vis(t).length);
out.push(vis(ts[1]).length);
document.body.setAttribute('data-tables',out.join(','));
})();
</script>
""";

    [Fact]
    public async Task Report_tables_sort_and_page_charts_draw_and_hostile_names_stay_text()
    {
        var graph = Build(leaked: 30);
        var rows = Enumerable.Range(0, 120).Select(i => (IReadOnlyList<object?>)new object?[] { (long)(i * 37 % 120), Script + i }).ToList();
        string table = HtmlPresenter.Table(["n", "name"], rows);
        string page = new HtmlReport(Script)
            .Html(table)
            .Html(table)                                                   // the same fragment twice on one page
            .Html(HtmlPresenter.Paths(ShortestPaths.Compute(graph).PathsToType(Script)))
            .Chart(HeapCharts.Generations(graph))
            .Html(PlotlyHtml.Render(PlotlyFigure.Bar(Img, new[] { Script, Img }, false, (Script, new double[] { 1, 2 })), PlotlyScriptMode.Inline))
            .ToHtml()
            .Replace("<head>", "<head><script>window.alert=function(){document.documentElement.setAttribute('data-alerted','1');};</script>", StringComparison.Ordinal)
            .Replace("</body>", Probe + "</body>", StringComparison.Ordinal);

        string dir = Directory.CreateTempSubdirectory("leaklab-html-").FullName;
        try
        {
            string file = Path.Combine(dir, "report.html");
            await File.WriteAllTextAsync(file, page);
            string dom = await DumpDomAsync(file, dir);

            Assert.Matches("data-tables=\"25,0,119,94,120,25\"", dom);   // paged, sorted up, down, next page, all rows; twin table paged too
            Assert.DoesNotContain("data-alerted=\"1\"", dom);
            // Each drawn chart holds two layered svg.main-svg elements; two charts were placed.
            Assert.True(Regex.Matches(dom, "class=\"main-svg\"").Count >= 4, "both charts drew");
            Assert.DoesNotContain(">plotly.js is not loaded", dom);            // the fallback text, not the script
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;119", dom); // shown as text
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_table_wider_than_the_page_scrolls_inside_its_box_instead_of_being_cut()
    {
        // No space to wrap at, like a long generic name in a cell the browser cannot break.
        string wide = string.Concat(Enumerable.Repeat("System.Collections.Generic.Dictionary<System.Int64,Shop.CachedOrder>", 12));
        var rows = Enumerable.Range(0, 3).Select(i => (IReadOnlyList<object?>)new object?[] { (long)i, wide, "last" }).ToList();
        const string probe = """
<script>
var b=document.querySelector('.ll-tablebox'),cells=b.querySelectorAll('th'),last=cells[cells.length-1];
b.scrollLeft=b.scrollWidth;
var out=[b.scrollWidth>b.clientWidth,getComputedStyle(b).overflowX,last.getBoundingClientRect().right<=b.getBoundingClientRect().right+1,
  document.documentElement.scrollWidth<=window.innerWidth];
document.body.setAttribute('data-scroll',out.join(','));
</script>
""";
        string page = new HtmlReport("wide").Html(HtmlPresenter.Table(["n", "type", "end"], rows)).ToHtml()
            .Replace("</body>", probe + "</body>", StringComparison.Ordinal);
        string dir = Directory.CreateTempSubdirectory("leaklab-html-").FullName;
        try
        {
            string file = Path.Combine(dir, "wide.html");
            await File.WriteAllTextAsync(file, page);
            // Wider than its box, scrollable, its last column reachable by scrolling, and the page itself not widened.
            Assert.Contains("data-scroll=\"true,auto,true,true\"", await DumpDomAsync(file, dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<string> DumpDomAsync(string file, string profileDir)
    {
        var psi = new ProcessStartInfo("chromium")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
                 {
                     "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                     $"--user-data-dir={Path.Combine(profileDir, "profile")}", "--virtual-time-budget=15000", "--dump-dom", new Uri(file).AbsoluteUri,
                 })
            psi.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("chromium is not installed; run scripts/install-test-deps.sh", e);
        }
        using (process)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            string dom = await stdout;
            Assert.True(dom.Length > 0, $"chromium printed no DOM (exit {process.ExitCode}): {await stderr}");
            return dom;
        }
    }
}
