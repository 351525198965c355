#!/usr/bin/env bash
# Annotation time against the size of the knowledge file, from the `annotate_every_brief`
# stage benchmark (benches/stages.rs), run by hand (not by CI):
#
#   bash benches/facts.sh                     # 10,000 briefs; 50 and 5,000 facts
#   BRIEFS=1000 ROUNDS=3 bash benches/facts.sh
#
# It writes two corpora with ../shared/bench/gen_corpus.py (seed 42) into $WORK (default
# /tmp/briefing-bench): one with 50 facts, one with 5,000. Their briefs differ: each corpus
# mentions its own facts, and the larger one's briefs hold more mentions. So it also makes a
# third site: the 50-fact corpus's briefs with the 5,000-fact knowledge file, which holds
# the same 50 facts (checked) and 4,950 more. That pair answers "does a larger knowledge file
# slow the annotation of the same briefs?"; the two generated corpora answer "how do two
# sites of these sizes compare?". ROUNDS rounds run the three sites in turn, so a machine
# that drifts affects all three alike; the table shows each site's median and its ratio to
# the 50-fact site.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
GEN="${GEN:-$ROOT/../shared/bench/gen_corpus.py}"
WORK="${WORK:-/tmp/briefing-bench}"
BRIEFS="${BRIEFS:-10000}"
ROUNDS="${ROUNDS:-4}"

[ -f "$GEN" ] || { echo "no corpus generator at $GEN (set GEN=...)" >&2; exit 2; }
mkdir -p "$WORK"

corpus() {
  local facts=$1 dir="$WORK/corpus-$BRIEFS-k$1"
  if [ ! -f "$dir/MANIFEST.json" ]; then
    echo "== writing $BRIEFS briefs with $facts facts" >&2
    python3 "$GEN" --out "$dir" -n "$BRIEFS" -k "$facts" --seed 42 --tools neutral >&2
  fi
  echo "$dir/neutral"
}
small=$(corpus 50)
large=$(corpus 5000)
mixed="$WORK/corpus-$BRIEFS-k50-with-k5000"
rm -rf "$mixed"
mkdir -p "$mixed/content"
cp "$small/site.yaml" "$mixed/"
cp -r "$small/content/briefs" "$mixed/content/"
cp "$large/content/knowledge.yaml" "$mixed/content/"
python3 - "$small/content/knowledge.yaml" "$large/content/knowledge.yaml" <<'EOF'
import re, sys
ids = [set(re.findall(r"^  - id: (\S+)$", open(path).read(), re.M)) for path in sys.argv[1:]]
if not ids[0] <= ids[1]:
    sys.exit("the 5,000-fact knowledge file does not hold every fact of the 50-fact one")
EOF

echo "== building the stage benchmark" >&2
bench=$(cd "$ROOT" && cargo bench --bench stages --no-run --message-format=json 2>/dev/null |
  python3 -c '
import json, sys
for line in sys.stdin:
    message = json.loads(line)
    if message.get("reason") == "compiler-artifact" and message["target"]["name"] == "stages" \
            and message.get("executable"):
        print(message["executable"])')
[ -x "$bench" ] || { echo "could not build benches/stages.rs" >&2; exit 1; }

results="$WORK/facts.tsv"
: > "$results"
for round in $(seq "$ROUNDS"); do
  for site in "50 facts:$small" "5,000 facts:$large" "50-fact briefs, 5,000 facts:$mixed"; do
    name=${site%%:*}
    echo "== round $round: $name" >&2
    median=$(BRIEFING_BENCH_SITE="${site#*:}" "$bench" --bench annotate_every_brief 2>/dev/null |
      awk -F'│' '/annotate_every_brief/ { print $3 }')
    printf '%s\t%s\n' "$name" "$median" >> "$results"
  done
done

python3 - "$results" "$BRIEFS" <<'EOF'
import statistics, sys
units = {"ns": 1e-6, "µs": 1e-3, "ms": 1.0, "s": 1e3}
times = {}
for line in open(sys.argv[1]):
    name, text = line.rstrip("\n").split("\t")
    value, unit = text.split()
    times.setdefault(name, []).append(float(value) * units[unit])
base = statistics.median(times["50 facts"])
print(f"| annotating {int(sys.argv[2]):,} briefs | median of rounds | vs 50 facts |")
print("|---|---:|---:|")
for name, values in times.items():
    median = statistics.median(values)
    print(f"| {name} | {median:.1f} ms | {median / base:.3f}× |")
EOF
