#!/bin/sh
# A frontier sweep cut into N shards played on this machine, P at a time
# (xargs -P), then merged: the same CSV, table and verdicts as the sweep run
# whole, byte for byte.
#
#   scripts/shards/local.sh N P DIR [frontier arguments...]
#   scripts/shards/local.sh 8 2 shards --preset diurnal --seeds 20 --threads 1
#
# Writes DIR/partK.csv for each shard and DIR/frontier.csv, and prints the merged
# table. Give --threads so that P shards together use the cores once (a shard
# uses every core by default). The binary is
# $AUTOSCALE_PLAYGROUND, or autoscale-playground on the PATH. A shard that fails
# stops the script before the merge.
set -eu
if [ $# -lt 3 ]; then
    echo "usage: $0 N P DIR [frontier arguments...]" >&2
    exit 2
fi
n=$1 p=$2 dir=$3
shift 3
bin=${AUTOSCALE_PLAYGROUND:-autoscale-playground}
mkdir -p "$dir"
rm -f "$dir"/part*.csv
seq 1 "$n" | xargs -P "$p" -I{} \
    "$bin" frontier "$@" --shard "{}/$n" --out "$dir/part{}.csv" >&2
"$bin" frontier --merge "$dir"/part*.csv --out "$dir/frontier.csv"
