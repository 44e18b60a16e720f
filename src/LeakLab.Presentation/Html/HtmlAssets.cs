namespace LeakLab.Presentation.Html;

/// <summary>LeakLab's CSS and table script. Every rule is scoped under an <c>ll-</c> class so host pages are untouched.</summary>
internal static class HtmlAssets
{
    // Colours are translucent greys over the inherited text colour, so one stylesheet reads well on the light
    // and dark themes of VS Code, Jupyter and a standalone page (which sets color-scheme: light dark).
    public const string Css = """
.ll-frag{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:13px;line-height:1.45;color:inherit;margin:.4em 0;max-width:100%;overflow-x:auto}
.ll-frag table.ll-table{border-collapse:collapse;margin:.2em 0}
.ll-tablebox{max-width:100%;overflow-x:auto}
.ll-table th,.ll-table td{padding:3px 9px;border-bottom:1px solid rgba(127,127,127,.25);text-align:left;vertical-align:top}
.ll-table th{cursor:pointer;user-select:none;white-space:nowrap;border-bottom:2px solid rgba(127,127,127,.5);font-weight:600}
.ll-table th[aria-sort=ascending]::after{content:" \25B2";font-size:.75em;opacity:.7}
.ll-table th[aria-sort=descending]::after{content:" \25BC";font-size:.75em;opacity:.7}
.ll-table td.ll-seq{white-space:nowrap}
.ll-table td.ll-reason{min-width:16em}
.ll-table .ll-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ll-table tbody tr:hover{background:rgba(127,127,127,.13)}
.ll-mono,.ll-type,.ll-field{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.95em}
.ll-caption{font-weight:600;margin:.7em 0 .3em}
.ll-muted,.ll-field{opacity:.72}
.ll-note{opacity:.72;font-style:italic;margin:.3em 0}
.ll-warn{color:#b35900;font-weight:600;margin:.3em 0}
.ll-pager{display:flex;gap:.5em;align-items:center;margin:.35em 0}
.ll-pager[hidden]{display:none}
.ll-pager button,.ll-pager select{font:inherit;color:inherit;background:rgba(127,127,127,.12);border:1px solid rgba(127,127,127,.4);border-radius:3px;padding:1px 8px;cursor:pointer}
.ll-pager button:disabled{opacity:.4;cursor:default}
.ll-badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:.85em;font-weight:600;background:rgba(127,127,127,.22);white-space:nowrap}
.ll-rk-staticfield,.ll-rk-threadstaticfield{background:rgba(30,136,229,.28)}
.ll-rk-stronghandle,.ll-rk-pinnedhandle,.ll-rk-otherhandle{background:rgba(142,36,170,.28)}
.ll-rk-threadstack{background:rgba(67,160,71,.28)}
.ll-rk-finalizerqueue,.ll-rk-timer,.ll-rk-event{background:rgba(251,140,0,.3)}
.ll-repeat{display:inline-block;padding:0 6px;border-radius:9px;font-size:.85em;font-weight:600;background:rgba(251,140,0,.3);margin-left:.4em}
.ll-suspect{color:#e8590c;font-weight:600;white-space:nowrap}
.ll-up{color:#e8590c}.ll-down{color:#2f9e44}
.ll-path{border:1px solid rgba(127,127,127,.3);border-radius:6px;padding:6px 10px;margin:6px 0}
.ll-path-head{display:flex;gap:.8em;align-items:baseline;flex-wrap:wrap}
.ll-count{font-weight:600}
.ll-chain{list-style:none;margin:4px 0 0;padding:0}
.ll-chain li{margin:1px 0;padding-left:1.3em;text-indent:-1.3em}
.ll-chain li+li::before{content:"\21B3  ";opacity:.55}
.ll-chain .ll-badge,.ll-chain .ll-repeat{text-indent:0}
.ll-chart{width:100%}
""";

    /// <summary>The exact style element each fragment carries; <see cref="HtmlReport"/> removes it and writes the CSS once.</summary>
    public const string StyleElement = "<style data-ll-css=\"1\">" + Css + "</style>";

    /// <summary>
    /// Sorting and paging for one table. It defines a shared function once per page and applies it to the table by id,
    /// so it works where scripts run as inserted elements (VS Code outputs) and where they are eval'd (Jupyter). It finds
    /// its table next to itself (document.currentScript), so a fragment repeated on one page still works; eval'd scripts
    /// have no currentScript and fall back to the id.
    /// Without scripts the table simply shows all rows.
    /// </summary>
    public const string TableScriptTemplate = """
(function(){var f=window.__leaklabTable||(window.__leaklabTable=function(t){
if(!t||t.getAttribute('data-ll-ready'))return;t.setAttribute('data-ll-ready','1');
var tb=t.tBodies[0],rows=[].slice.call(tb.rows),size=parseInt(t.getAttribute('data-ll-page')||'0',10),page=0;
var box=t.parentNode,nav=box.querySelector('.ll-pager'),info,prev,next,sel;
function key(r,i,num){var c=r.cells[i];if(!c)return num?-Infinity:'';var v=c.getAttribute('data-v');
if(num)return v===null||v===''?-Infinity:parseFloat(v);return v!==null?v:c.textContent;}
function show(){var n=rows.length,s=size>0?size:n,pages=Math.max(1,Math.ceil(n/s));if(page>=pages)page=pages-1;if(page<0)page=0;
for(var i=0;i<n;i++)rows[i].style.display=(i>=page*s&&i<(page+1)*s)?'':'none';
if(nav){info.textContent='rows '+(n?page*s+1:0)+'\u2013'+Math.min(n,(page+1)*s)+' of '+n;prev.disabled=page===0;next.disabled=page>=pages-1;}}
[].forEach.call(t.tHead.rows[0].cells,function(th,i){th.addEventListener('click',function(){
var asc=th.getAttribute('aria-sort')!=='ascending',num=th.classList.contains('ll-num');
[].forEach.call(t.tHead.rows[0].cells,function(o){o.removeAttribute('aria-sort');});th.setAttribute('aria-sort',asc?'ascending':'descending');
rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num),c=num?(x<y?-1:x>y?1:0):String(x).localeCompare(String(y));return asc?c:-c;});
for(var k=0;k<rows.length;k++)tb.appendChild(rows[k]);page=0;show();});});
if(nav&&size>0){nav.hidden=false;info=nav.querySelector('.ll-info');prev=nav.querySelector('.ll-prev');next=nav.querySelector('.ll-next');sel=nav.querySelector('select');
prev.addEventListener('click',function(){page--;show();});next.addEventListener('click',function(){page++;show();});
sel.addEventListener('change',function(){size=parseInt(sel.value,10);page=0;show();});}
show();});var s=document.currentScript;f((s&&s.parentNode&&s.parentNode.querySelector('table.ll-table'))||document.getElementById('@ID'));})();
""";

    /// <summary>A short random id, so several fragments can share one page or one notebook.</summary>
    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];
}
