#!/usr/bin/env bash
# What one commit costs against another on the existing throughput workloads, e.g. listener concurrency's cost
# at concurrency 1 (issue 17: within 5 %). Builds the shared-JVM harness (-Pbench) of two commits, each from its
# own source tree, and runs them in alternating rounds (base then head, head then base, ...) with the same options,
# each run on its own embedded server; then compares, per round, our contenders' rows/s as a multiple of the
# connector's fast mode (3-fast, the same library in both commits, measured in the same run: it takes the
# machine's drift out) and their CPU µs per row, and prints the medians over the rounds.
#
#   benchmarks/compare-commits.sh [--base=8e80d53] [--head=worktree] [--rounds=5] [--bench-args="..."]
#
# --base, --head  commits (anything git rev-parse takes); `worktree` is this checkout as it is, uncommitted
#                 changes included. Default base: 8e80d53, the last commit before listener concurrency landed.
# --rounds        rounds of one run per side (default 5)
# --bench-args    the harness options of every run (default below: MySQL, narrow and updates, contenders 1, 2
#                 and 3-fast, 3 warm-ups and 5 measured runs each, no latency, large-transaction or JMH section)
# Maven's flags come from $MVN_FLAGS (e.g. MVN_FLAGS=-o). Results: benchmarks/target/compare-commits/.
set -euo pipefail

base=8e80d53
head=worktree
rounds=5
bench_args="--servers=mysql --workloads=narrow,updates --contenders=1,2,3-fast --warmups=3 --runs=5 --latency=false --big-transaction=false --jmh=false"
for arg in "$@"; do
  case "$arg" in
    --base=*) base="${arg#*=}" ;;
    --head=*) head="${arg#*=}" ;;
    --rounds=*) rounds="${arg#*=}" ;;
    --bench-args=*) bench_args="${arg#*=}" ;;
    *) echo "Unknown option $arg (see the comment at the top of $0)" >&2; exit 2 ;;
  esac
done

root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
out="$root/benchmarks/target/compare-commits"
mkdir -p "$out"

# The source tree of one side: this checkout, or the commit's files exported under $out (no git worktree).
tree_of() {
  if [ "$1" = worktree ]; then
    echo "$root"
    return
  fi
  local sha
  sha="$(git -C "$root" rev-parse --short=12 "$1^{commit}")"
  local dir="$out/src-$sha"
  if [ ! -f "$dir/pom.xml" ]; then
    mkdir -p "$dir"
    git -C "$root" archive "$sha" | tar -x -C "$dir"
    chmod +x "$dir/mvnw"
  fi
  echo "$dir"
}

base_tree="$(tree_of "$base")"
head_tree="$(tree_of "$head")"
echo "base $base: $base_tree"
echo "head $head: $head_tree"

run() { # side tree round
  local result="$out/round$3-$1.md"
  echo "round $3, $1: running (log in $out/round$3-$1.log)"
  # The harness runs after `package` in the bench profile; commits before the profile ran it with exec:exec
  local goals=(-Pbench package)
  grep -q '<id>bench</id>' "$2/benchmarks/pom.xml" || goals=(package exec:exec)
  (cd "$2" && ./mvnw -B ${MVN_FLAGS:-} -pl benchmarks -am -DskipTests "${goals[@]}" \
      -Dbench.args="$bench_args --out=$result") > "$out/round$3-$1.log" 2>&1 \
    || { echo "round $3, $1 failed: see $out/round$3-$1.log" >&2; exit 1; }
}

for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then
    run base "$base_tree" "$r"; run head "$head_tree" "$r"
  else
    run head "$head_tree" "$r"; run base "$base_tree" "$r"
  fi
done

# One line per round, side, server, workload and our contender: rows/s, × 3-fast and CPU µs/row, read from the
# harness's results table by its column names (the same table in both commits).
for ((r = 1; r <= rounds; r++)); do
  for side in base head; do
    awk -F' *\\| *' -v OFS='\t' -v round="$r" -v side="$side" '
      /^\| server \| workload \| contender \|/ { for (i = 2; i < NF; i++) col[$i] = i; next }
      col["contender"] && $col["contender"] ~ /^[12]-ours/ {
        x = $col["× 3-fast"]; sub(/×/, "", x); rps = $col["rows/s"]; gsub(/,/, "", rps)
        print round, side, $col["server"] "/" $col["workload"] "/" $col["contender"], rps, x, $col["CPU µs/row"]
      }' "$out/round$r-$side.md"
  done
done > "$out/runs.tsv"

{
  echo "# $head against $base, $rounds rounds"
  echo
  echo "Per round, head ÷ base of our contender's rows/s as a multiple of 3-fast (above 1: head faster) and of its"
  echo "CPU µs per row (below 1: head cheaper); the medians over the rounds. Runs: runs.tsv (round, side, series,"
  echo "rows/s, × 3-fast, CPU µs/row)."
  echo
  echo "| series | rows/s ÷ 3-fast, head ÷ base: median (rounds) | CPU µs/row, head ÷ base: median (rounds) |"
  echo "| --- | --- | --- |"
  awk -F'\t' '
    function sort(a, n,    i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t } }
    function median(a, n) { return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    function list(a, n,    i, s) { s = ""; for (i = 1; i <= n; i++) s = s sprintf("%s%.3f", i > 1 ? ", " : "", a[i]); return s }
    { key = $3 "\t" $1; if ($2 == "base") { bx[key] = $5; bc[key] = $6 } else { hx[key] = $5; hc[key] = $6 }; series[$3] = 1; rounds[$1] = 1 }
    END {
      for (s in series) {
        n = 0
        for (r in rounds) {
          key = s "\t" r
          if ((key in bx) && (key in hx) && bx[key] > 0 && bc[key] > 0) { n++; x[n] = hx[key] / bx[key]; c[n] = hc[key] / bc[key] }
        }
        if (n == 0) continue
        sort(x, n); sort(c, n)
        printf "| %s | %.3f (%s) | %.3f (%s) |\n", s, median(x, n), list(x, n), median(c, n), list(c, n)
      }
    }' "$out/runs.tsv" | sort
} | tee "$out/comparison.md"
echo "Wrote $out/comparison.md"
