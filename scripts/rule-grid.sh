#!/usr/bin/env bash
# A bound without foresight: the Rule over a grid of its knobs (target 0.60 to
# 0.80 by 0.01, tolerance 0 / 0.05 / 0.1 / 0.2, scale-down window 0 / 150 / 300
# / 600 s, scale-up period 15 / 60 s) on diurnal and flash-crowd, 10 seeds each
# (42 to 51), played as a frontier's Rule points are (benches/rule_grid.rs).
# Writes every setting to DIR/PRESET.csv and prints, per preset, the Rule at
# its own setting (0.70, 0.1, 300 s, 15 s) and the five cheapest settings whose
# mean violation steps are at most its: the cheapest is the bound.
#
#   scripts/rule-grid.sh [DIR] [PRESET...]   default DIR: target/rule-grid,
#                                            presets: diurnal flash-crowd
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-target/rule-grid}
shift || true
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(diurnal flash-crowd)
mkdir -p "$dir"
for p in "${presets[@]}"; do
    cargo bench --quiet --bench rule_grid -- "$p" >"$dir/$p.csv"
    awk -F, '
        NR == 1 { next }
        $2 == "0.70" && $3 == "0.1" && $4 == "300" && $5 == "15" { own = $0; lim = $8 }
        { row[NR] = $0; cost[NR] = $6; viol[NR] = $8 }
        END {
            print "own:   " own
            for (i in row) if (viol[i] + 0 <= lim + 0) print cost[i] "\t" row[i]
        }' "$dir/$p.csv" | sort -t$'\t' -k1,1g | sed -n '1p;2,6p' | sed 's/^[0-9.]*\t/under: /'
done
