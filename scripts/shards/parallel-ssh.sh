#!/bin/sh
# A frontier sweep cut into N shards played on the machines of a GNU parallel
# login file (one `user@host` a line, or `4/user@host` for four shards at once
# there), each part copied back, then merged here.
#
#   scripts/shards/parallel-ssh.sh HOSTS N DIR [frontier arguments...]
#   scripts/shards/parallel-ssh.sh hosts.txt 16 shards --preset azure-conv --seeds 100
#
# Every host needs the same version of autoscale-playground on its PATH (a merge
# refuses a part of another version) and, for a replay preset or file, the trace
# at the same path relative to REMOTE_DIR (default: a checkout of the repository
# at ~/autoscale-playground). Each shard uses every core of its host unless the
# arguments give --threads.
set -eu
if [ $# -lt 3 ]; then
    echo "usage: $0 HOSTS N DIR [frontier arguments...]" >&2
    exit 2
fi
hosts=$1 n=$2 dir=$3
shift 3
remote=${REMOTE_DIR:-autoscale-playground}
mkdir -p "$dir"
rm -f "$dir"/part*.csv
cd "$dir"
seq 1 "$n" | parallel --sshloginfile "$hosts" --workdir "$remote" \
    --return "part{}.csv" --cleanup --halt now,fail=1 \
    autoscale-playground frontier "$@" --shard "{}/$n" --out "part{}.csv"
autoscale-playground frontier --merge part*.csv --out frontier.csv
