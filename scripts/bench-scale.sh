#!/usr/bin/env bash
# Scale benchmark (issue 13): for each heap size, one sample process with N ballast objects, three dumps of it, and
# LeakLab's commands on them, first open (walks the heap, writes the .llidx index) and second open (reads the index),
# side by side with dotnet-dump (dumpheap -stat, gcroot) on the same dump. Prints wall time, CPU time and peak RSS per
# command; the last line is the summary:
#   reopen-paths/gcroot=R diff-bytes/object=N retained-bytes/object=N max-objects=M
# (R: second `paths --address` wall time over gcroot's, at the largest size; diff-bytes: peak RSS of the second diff of
# three dumps over the objects of all three; retained-bytes: peak RSS of the first `retained` over the objects.)
# Usage: scripts/bench-scale.sh [N ...]   (default 1000000 5000000 20000000; needs a Release build and dotnet-dump)
# The heaps come from the sample's --ballast (chains of 64 nodes, each with a small array) plus the static-cache leak.
# Each size needs about 50 bytes of dump per object, three times, in $BENCH_DIR (default /tmp); files are deleted.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=("${@:-1000000 5000000 20000000}")
[ $# -eq 0 ] && SIZES=(1000000 5000000 20000000)
DOTNET_DUMP=${DOTNET_DUMP:-$(command -v dotnet-dump || echo /work/tools/peer/dotnet-dump)}
LL=(dotnet "$ROOT/src/LeakLab.Cli/bin/Release/net10.0/leaklab.dll")
SAMPLE="$ROOT/sampledata/LeakLab.Sample/bin/Release/net10.0/LeakLab.Sample.dll"
[ -f "${LL[1]}" ] && [ -f "$SAMPLE" ] || { echo "bench-scale: build Release first: dotnet build src/LeakLab.Cli -c Release && dotnet build sampledata/LeakLab.Sample -c Release" >&2; exit 1; }
[ -x "$DOTNET_DUMP" ] || { echo "bench-scale: dotnet-dump not found; install it (dotnet tool install -g dotnet-dump) or set DOTNET_DUMP" >&2; exit 1; }

ratio=NA diffbpo=NA retbpo=NA maxobj=0
printf '%-12s %-22s %9s %9s %10s\n' objects command wall_s cpu_s rss_MB
for n in "${SIZES[@]}"; do
  dir=$(mktemp -d "${BENCH_DIR:-/tmp}/leaklab-bench-XXXXXX")
  dotnet "$SAMPLE" static-cache --rate 200 --ballast "$n" >"$dir/sample.out" 2>"$dir/sample.err" &
  sp=$!
  for _ in $(seq 1 600); do grep -q LEAKLAB-READY "$dir/sample.out" && break; sleep 1; done
  for k in 1 2 3; do "${LL[@]}" dump --pid "$sp" -o "$dir/core$k" >/dev/null 2>&1; sleep 1; done
  kill "$sp"; wait "$sp" 2>/dev/null
  run() { # name command...: one line of figures; the command's stdout in $dir/name.out
    local name=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$dir/$name.time" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    read -r wall user sys rss <"$dir/$name.time"
    printf '%-12s %-22s %9.2f %9.2f %10.0f\n' "$n" "$name" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)"
    echo "$wall $rss" >"$dir/$name.fig"
  }
  c="$dir/core3"
  run dumpheap-stat "$DOTNET_DUMP" analyze "$c" -c "dumpheap -stat" -c exit
  run stats "${LL[@]}" stats "$c"
  run retained-1st "${LL[@]}" retained "$c"
  objects=$(grep -oE 'loaded [^:]+: [0-9,]+ objects' "$dir/retained-1st.err" | head -1 | grep -oE '[0-9,]+ objects' | tr -d ', objects')
  run retained-2nd "${LL[@]}" retained "$c"
  run paths-type-2nd "${LL[@]}" paths "$c" --type CachedOrder
  addr=$(grep -oE '0x[0-9a-f]+' "$dir/paths-type-2nd.out" | head -1)
  run paths-address-2nd "${LL[@]}" paths "$c" --address "$addr"
  run roots-2nd "${LL[@]}" roots "$c"
  run gcroot "$DOTNET_DUMP" analyze "$c" -c "gcroot $addr" -c exit
  run diff3-1st "${LL[@]}" diff "$dir/core1" "$dir/core2" "$c"
  run diff3-2nd "${LL[@]}" diff "$dir/core1" "$dir/core2" "$c"
  cmp -s "$dir/diff3-1st.out" "$dir/diff3-2nd.out" || echo "bench-scale: diff output differs between first and second open" >&2
  cmp -s "$dir/retained-1st.out" "$dir/retained-2nd.out" || echo "bench-scale: retained output differs between first and second open" >&2
  all=0
  for k in 1 2; do all=$((all + $(grep -oE "loaded core$k: [0-9,]+ objects" "$dir/diff3-1st.err" | head -1 | grep -oE '[0-9,]+ objects' | tr -d ', objects'))); done
  all=$((all + objects))
  read -r pw _ <"$dir/paths-address-2nd.fig"; read -r gw _ <"$dir/gcroot.fig"
  read -r _ drss <"$dir/diff3-2nd.fig"; read -r _ rrss <"$dir/retained-1st.fig"
  ratio=$(echo "scale=2; $pw / $gw" | bc); diffbpo=$(echo "$drss * 1024 / $all" | bc); retbpo=$(echo "$rrss * 1024 / $objects" | bc)
  [ "$objects" -gt "$maxobj" ] && maxobj=$objects
  rm -rf "$dir"
done
echo "reopen-paths/gcroot=$ratio diff-bytes/object=$diffbpo retained-bytes/object=$retbpo max-objects=$maxobj"
