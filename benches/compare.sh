#!/usr/bin/env bash
# Whole-site build times of briefing, Hugo and Zola on the same synthetic corpus, side by side
# in one run, with ratios. Run by hand (not by CI), on a quiet machine:
#
#   bash benches/compare.sh                 # 1,000 and 10,000 briefs
#   SIZES="1000 10000 100000" RUNS=5 bash benches/compare.sh
#   SIZES=100000 RUNS=1 WARMUP=0 bash benches/compare.sh   # one run each at 100,000
#
# For each size it writes the corpus once with ../shared/bench/gen_corpus.py (500 facts,
# seed 42) into $WORK/corpus-<n>/ (default WORK=/tmp/briefing-bench), which holds the same
# articles in briefing's layout (neutral/) and in Hugo's and Zola's. It times full builds into
# a fresh output folder with hyperfine (one warm-up run, then RUNS runs; the output folder, and
# briefing's spare copy of it, are moved away before each run, so nobody gains from an earlier
# run's files), measures peak RSS with
# GNU time in one more run, and prints one Markdown table: wall time (mean ± σ), CPU time
# (user + system), peak RSS, and each tool's wall time as a multiple of briefing's.
#
# Outputs go to $OUT_ROOT (default $WORK); OUT_ROOT=/dev/shm times the tools without the disk.
# Old outputs are moved into $OUT_ROOT/trash, never deleted by the script: when ext4 allocates
# an inode it passes over those freed in the last 30 seconds (5 minutes while their inode table
# block is dirty), and after an `rm -rf` of 20,000 files that search was 60% of the next
# build's CPU time (perf: `recently_deleted` under `ext4_create` and `ext4_mkdir`), whichever
# tool came next. Delete the trash when done, and wait five minutes before timing on that disk.
#
# Tools: briefing is built here in release mode; Hugo is Debian's `hugo` (apt-get install
# hugo); Zola is taken from $ZOLA or PATH and left out when missing (build it from source with
# `cargo install --locked --path .` in a checkout of getzola/zola).
#
# The other tools do less per article: their layouts render the article, an index, a tags
# index and tag pages; briefing also annotates every brief, renders fact pages, paginated
# lists, feeds, a sitemap and a search index.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GEN="${GEN:-$ROOT/../shared/bench/gen_corpus.py}"
WORK="${WORK:-/tmp/briefing-bench}"
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
# KEEP_OUTPUT=1 times repeat builds instead: each tool builds into the output folder as its own
# last run left it (the warm-up run fills it), as an author who rebuilds all day does.
KEEP_OUTPUT="${KEEP_OUTPUT:-0}"
OUT_ROOT="${OUT_ROOT:-$WORK}"
OUT="$OUT_ROOT/out"
SPARE="$OUT_ROOT/.briefing-spare-out"
TRASH="$OUT_ROOT/trash"
FACTS="${FACTS:-500}"
ZOLA="${ZOLA:-$(command -v zola || true)}"
HUGO="${HUGO:-$(command -v hugo || true)}"

for tool in hyperfine python3 /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool (apt-get install hyperfine time python3)" >&2; exit 2; }
done
[ -f "$GEN" ] || { echo "no corpus generator at $GEN (set GEN=...)" >&2; exit 2; }

echo "== building briefing (release)" >&2
cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
BRIEFING="${CARGO_TARGET_DIR:-$ROOT/target}/release/briefing"
mkdir -p "$WORK" "$TRASH"
# The trash grows by every output of every run (3 GB a tool at 100,000 briefs) and is never
# emptied here. A nearly full ext4 allocates slowly: with 51 GB of trash and the disk 95% full,
# a 10,000-brief build took 1.76 s, and 1.10 s once the trash was gone; say so before timing.
used=$(df --output=pcent "$OUT_ROOT" 2>/dev/null | tail -1 | tr -dc '0-9')
if [ -n "$used" ] && [ "$used" -ge 85 ]; then
  echo "warning: $OUT_ROOT is $used% full ($(du -sh "$TRASH" 2>/dev/null | cut -f1) in $TRASH);" \
    "empty the trash and wait five minutes, or the timings will show the full disk" >&2
fi
RESULTS="$WORK/results.tsv"
# DISCARD (a POSIX sh command, for hyperfine's --prepare too) moves the outputs of the last
# run into the trash (see above).
DISCARD="stamp=\$(date +%s%N); for path in '$OUT' '$SPARE'; do if [ -e \"\$path\" ]; then mv \"\$path\" '$TRASH'/\$stamp-\$(basename \"\$path\"); fi; done"
discard() { sh -c "$DISCARD"; }
: > "$RESULTS"

# measure NAME SIZE DIR COMMAND: appends `name size mean stddev user system rss_kb` to RESULTS.
measure() {
  local name=$1 size=$2 dir=$3 command=$4
  local json="$WORK/$name-$size.json"
  local prepare="$DISCARD"
  if [ "$KEEP_OUTPUT" = 1 ]; then
    # Each tool starts from an empty folder; its warm-up run fills it for the timed runs.
    discard
    prepare="true"
  fi
  echo "== $name, $size briefs" >&2
  (cd "$dir" && hyperfine --style basic --warmup "$WARMUP" --runs "$RUNS" \
    --prepare "$prepare" --export-json "$json" "$command" >&2)
  discard
  local rss
  rss=$(cd "$dir" && /usr/bin/time -f '%M' bash -c "$command >/dev/null 2>&1" 2>&1 | tail -1)
  python3 - "$json" "$name" "$size" "$rss" >> "$RESULTS" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))["results"][0]
print("\t".join([sys.argv[2], sys.argv[3], f'{run["mean"]:.4f}', f'{run["stddev"] or 0:.4f}',
                 f'{run["user"]:.4f}', f'{run["system"]:.4f}', sys.argv[4]]))
EOF
}

for size in $SIZES; do
  corpus="$WORK/corpus-$size"
  if [ ! -f "$corpus/MANIFEST.json" ]; then
    echo "== writing a $size-brief corpus" >&2
    python3 "$GEN" --out "$corpus" -n "$size" -k "$FACTS" --seed 42 >&2
  fi
  measure briefing "$size" "$corpus/neutral" "$BRIEFING build --output $OUT"
  if [ -n "$HUGO" ]; then
    measure hugo "$size" "$corpus/hugo" "$HUGO --quiet --destination $OUT"
  fi
  if [ -n "$ZOLA" ]; then
    measure zola "$size" "$corpus/zola" "$ZOLA build --output-dir $OUT --force"
  fi
done
discard
echo "== old outputs are in $TRASH: delete them when you are done (and wait five minutes after" >&2
echo "   deleting before the next disk benchmark, or ext4 will slow its builds)" >&2

python3 - "$RESULTS" <<'EOF'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
base = {size: float(mean) for name, size, mean, *_ in rows if name == "briefing"}
print("| tool | briefs | wall (mean ± σ) | CPU (user + sys) | peak RSS | wall vs briefing |")
print("|---|---:|---:|---:|---:|---:|")
for name, size, mean, sd, user, system, rss in rows:
    mean, sd, cpu = float(mean), float(sd), float(user) + float(system)
    ratio = mean / base[size] if size in base else float("nan")
    print(f"| {name} | {int(size):,} | {mean:.3f} s ± {sd:.3f} | {cpu:.2f} s | "
          f"{int(rss) / 1024:.0f} MB | {ratio:.2f}× |")
EOF
