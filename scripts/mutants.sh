#!/usr/bin/env bash
# Mutation testing of the modules that decide and judge (cargo-mutants): each
# module's files are mutated one change at a time and tested by the test
# binaries that cover them, not the whole suite; each module's score is printed
# with its survivors. The README's "Mutation testing" says when to run what.
#
# The tests run under cargo-nextest (its `mutants` profile, .config/nextest.toml):
# the same tests as cargo test, but a mutant stops at its first failing test, in
# whichever binary, and the slowest tests run last.
#
#   scripts/mutants.sh MODULE [--shard K/N]   one module (see MODULES below), or
#                                             every N-th of its mutants from the K-th
#   scripts/mutants.sh MODULE --iterate       again, only what the last run of the
#                                             module did not catch (after adding tests)
#   scripts/mutants.sh all                    every module in turn, smallest first
#   scripts/mutants.sh sample [S] [FROM]      about S mutants of every module (default 8,
#                                             every N-th from the first), each module's
#                                             estimated score with its 95 % interval:
#                                             the whole census takes days on 2 cores;
#                                             FROM: begin at that module (to resume)
#   scripts/mutants.sh --diff BASE [--shard K/N]  the lines changed since BASE
#                                             (--in-diff), module by module, the rest of
#                                             src/ last; with --shard, every N-th of each
#   scripts/mutants.sh --list                 the modules, their files, tests and size
#
# The tree is copied (tracked and new files, as they are now) into
# target/mutants/tree and mutated there in place, so the work tree stays free to
# edit while a run goes on, and the copy's build is incremental from one run to
# the next. Results: target/mutants/out/<module>/mutants.out/ (caught.txt,
# missed.txt, timeout.txt, unviable.txt, outcomes.json; caught-all.txt and
# unviable-all.txt over the module's runs since its last full one) and one line
# per run in target/mutants/scores.tsv. Exits non-zero when a module scores below 85 % or
# the modules run together below 90 %.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/target/mutants
TREE=$WORK/tree
CARGO_MUTANTS=$ROOT/.tools/bin/cargo-mutants
# A cargo-nextest that scripts/setup.sh built into .tools/ comes first.
export PATH=$ROOT/.tools/bin:$PATH
export NEXTEST_PROFILE=mutants

say() { printf 'mutants: %s\n' "$*"; }
die() { say "$*" >&2; exit 2; }

# The heavy tests of the model's property groups (six, about 60 s of CPU a run
# between them): left out of every module's tests so that a mutant costs
# seconds; the physics they check is also checked by the faster tests kept. The
# groups' eight other tests (about 8 s) run: one of them alone holds the SLA-only
# p95's side of the SLA.
HEAVY="--skip physics_properties::fluid_conserves_requests --skip physics_properties::more_ready_capacity_never_raises --skip physics_properties::latency_is_continuous --skip robustness::exact_physics_under_overload --skip robustness::random_valid_scenarios"

# A module: its files (globs, ';'-separated), the test binaries that cover it
# (cargo's target options: every cargo command gets them, so that a mutant's
# build builds only these), the filters given to those tests, and the test
# timeout in seconds (a few times its tests' time on a busy 2-core machine:
# only a mutant that hangs reaches it).
declare -A FILES TARGETS FILTERS TIMEOUT
MODULES=(proactivity link view moments policy scenario frontier agent replay world queueing)
# The two trained-agent floor tests of the decide binary (about 40 s of CPU
# between them, three quarters of the binary's time) judge only the agent's
# worlds: they are left out for the modules whose code they do not judge (the
# timing of scale-ups; the baselines, whose sizer the agent's floor shares and
# has its own tests). Leaving a test out can only lower a score: a mutant that
# only it would catch counts as missed.
FLOOR="--skip floor::no_decision_of_the_presets_agent --skip floor::no_decision_of_the_residual_agent"
FILES[proactivity]="src/proactivity.rs"
TARGETS[proactivity]="--test=decide"
FILTERS[proactivity]="$FLOOR"
TIMEOUT[proactivity]=60
FILES[link]="src/link.rs"
TARGETS[link]="--lib --test=page --test=cli --test=model"
FILTERS[link]="$HEAVY --skip validation"
TIMEOUT[link]=180
# The lookahead's own unit tests (src/view/lookahead.rs) are in the library's binary.
FILES[view]="src/view/mod.rs;src/view/page.rs;src/view/playback.rs;src/view/training.rs;src/view/lookahead.rs;src/view/explain.rs;src/view/metrics.rs"
TARGETS[view]="--lib --test=page --test=cli"
TIMEOUT[view]=60
FILES[moments]="src/view/moments/**/*.rs"
TARGETS[moments]="--test=page"
TIMEOUT[moments]=120
FILES[policy]="src/policy/**/*.rs"
TARGETS[policy]="--test=decide"
FILTERS[policy]="$FLOOR"
TIMEOUT[policy]=60
FILES[scenario]="src/scenario/**/*.rs"
TARGETS[scenario]="--lib --test=model --test=page --test=cli"
FILTERS[scenario]="$HEAVY"
TIMEOUT[scenario]=240
# The frontier's intervals are the floor's statistics (src/math/stats.rs):
# Student's t is judged with the frontier that reads it.
FILES[frontier]="src/frontier/**/*.rs;src/math/stats.rs"
TARGETS[frontier]="--lib --test=decide"
# The floor tests judge the trained agent, which reads nothing of the frontier.
FILTERS[frontier]="$FLOOR"
TIMEOUT[frontier]=60
FILES[agent]="src/agent/**/*.rs"
TARGETS[agent]="--lib --test=decide"
# The floor tests judge the agent's decisions, but at about 40 s a mutant they
# would make its census of 300 mutants four hours long on 2 cores: they are left
# out here too, and a survivor is tried against them by hand
# (`cargo test --test decide floor::`) before it is counted missed.
FILTERS[agent]="$FLOOR"
TIMEOUT[agent]=60
FILES[replay]="src/workload/replay/**/*.rs"
TARGETS[replay]="--test=model --test=page --test=cli"
FILTERS[replay]="$HEAVY"
TIMEOUT[replay]=240
# World and queueing: their tests under nextest take 75 to 105 s when no test
# fails (the floor tests last); 200 s is twice the slowest seen, so that a
# mutant that hangs a test costs less than a census of its own.
FILES[world]="src/world/**/*.rs"
TARGETS[world]="--test=model --test=decide"
FILTERS[world]="$HEAVY"
TIMEOUT[world]=200
FILES[queueing]="src/queueing/**/*.rs"
TARGETS[queueing]="--test=model --test=decide"
FILTERS[queueing]="$HEAVY"
TIMEOUT[queueing]=200
# The rest of src/ (for --diff only): every native test binary.
FILES[rest]="src/**/*.rs"
TARGETS[rest]="--lib --test=model --test=decide --test=page --test=cli"
FILTERS[rest]="$HEAVY"
TIMEOUT[rest]=300

# What the tests are given for a module, as the README and --list show it.
tests_of() { echo "${TARGETS[$1]}${FILTERS[$1]:+ -- ${FILTERS[$1]}}"; }

# -f for a module's files; for the rest, -e for every module's.
file_args() {
    local m=$1 g out=()
    if [ "$m" = rest ]; then
        out+=(-f "${FILES[rest]}")
        for n in "${MODULES[@]}"; do
            IFS=';' read -ra gs <<<"${FILES[$n]}"
            for g in "${gs[@]}"; do out+=(-e "$g"); done
        done
    else
        IFS=';' read -ra gs <<<"${FILES[$m]}"
        for g in "${gs[@]}"; do out+=(-f "$g"); done
    fi
    printf '%s\n' "${out[@]}"
}

# Every equivalent mutant excluded in .cargo/mutants.toml has its reason in a
# comment just above it: refuse the file otherwise.
check_exclusions() {
    awk '
        /^exclude_re *= *\[/ { inside = 1; next }
        inside && /^\]/ { inside = 0 }
        inside && /^ *#/ { reason = 1; next }
        inside && /^ *["\047]/ { if (!reason) { print FILENAME ":" NR ": an exclusion without its reason (a comment above it)"; bad = 1 } reason = 0; next }
        inside && /^ *$/ { reason = 0 }
        END { exit bad }
    ' .cargo/mutants.toml || die "every exclusion in .cargo/mutants.toml needs its reason"
}

# The exclusions of a module: entries of exclude_re that name one of its files
# (read without the regex's escapes).
exclusions_of() {
    local m=$1 n=0 g
    IFS=';' read -ra gs <<<"${FILES[$m]}"
    for g in "${gs[@]}"; do
        n=$((n + $(awk '/^exclude_re/,/^\]/' .cargo/mutants.toml | grep -v '^ *#' | tr -d '\\' \
            | grep -cF "${g%%\*\**}" || true)))
    done
    echo "$n"
}

# Copies the tree as it is now (tracked and new files, not ignored ones) into
# $TREE. Every file is dated now: a file restored after the last mutant of an
# earlier run has its old date again, which cargo would take for the mutant's
# build being newer; rustc's incremental build then redoes only what changed.
copy_tree() {
    mkdir -p "$TREE"
    find "$TREE" -mindepth 1 -maxdepth 1 ! -name target -exec rm -rf {} +
    git ls-files -z --cached --others --exclude-standard \
        | tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null \
        | tar -xmf - -C "$TREE"
}

count() { [ -f "$1" ] && wc -l <"$1" || echo 0; }

# Runs one module (with the extra arguments given, e.g. --shard, --in-diff or
# --iterate); prints its score and survivors and appends its line to scores.tsv.
# With --iterate the mutants caught (or unviable) before are not tested again,
# and count as before.
run_module() {
    local m=$1 label=$2
    shift 2
    local out=$WORK/out/$label iterate=no a
    for a in "$@"; do [ "$a" = --iterate ] && iterate=yes; done
    local o=$out/mutants.out
    if [ $iterate = yes ] && [ -d "$o" ]; then
        # What the runs so far caught, kept across cargo-mutants' own rotation.
        sort -u "$out/caught-all.txt" "$o/caught.txt" -o "$out/caught-all.txt" 2>/dev/null || true
        sort -u "$out/unviable-all.txt" "$o/unviable.txt" -o "$out/unviable-all.txt" 2>/dev/null || true
    else
        rm -rf "$out"
        mkdir -p "$out"
        : >"$out/caught-all.txt"
        : >"$out/unviable-all.txt"
    fi
    local files targets=() filters=() t
    mapfile -t files < <(file_args "$m")
    for t in ${TARGETS[$m]}; do targets+=("--cargo-arg=$t"); done
    read -ra filters <<<"${FILTERS[$m]:-}"
    say "$label: ${FILES[$m]//;/ } with cargo nextest run $(tests_of "$m")"
    local start=$SECONDS status=0
    (cd "$TREE" && "$CARGO_MUTANTS" mutants --in-place --no-shuffle --colors never --test-tool=nextest \
        "${files[@]}" "${targets[@]}" --timeout "${TIMEOUT[$m]}" --build-timeout 900 \
        --output "$out" "$@" -- -- "${filters[@]}") || status=$?
    local secs=$((SECONDS - start))
    # 0: all caught; 2: some missed; 3: some timed out; 4: the baseline failed.
    case $status in
        0 | 2 | 3) ;;
        *) die "$label: cargo-mutants stopped with status $status (see $o/log/ and $o/debug.log)" ;;
    esac
    touch "$o/caught.txt" "$o/unviable.txt" "$o/missed.txt" "$o/timeout.txt"
    sort -u "$out/caught-all.txt" "$o/caught.txt" -o "$out/caught-all.txt"
    sort -u "$out/unviable-all.txt" "$o/unviable.txt" -o "$out/unviable-all.txt"
    local caught missed timeout unviable tested score excl
    caught=$(count "$out/caught-all.txt")
    missed=$(count "$o/missed.txt")
    timeout=$(count "$o/timeout.txt")
    unviable=$(count "$out/unviable-all.txt")
    tested=$((caught + missed + timeout + unviable))
    excl=$(exclusions_of "$m")
    if [ $((caught + missed)) -gt 0 ]; then
        score=$(awk -v c="$caught" -v m="$missed" 'BEGIN { printf "%.1f", 100 * c / (c + m) }')
    else
        score=-
    fi
    printf '%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\n' "$(date +%F)" "$label" \
        "$([ $iterate = yes ] && echo iterate || echo full)" "$secs" \
        "$tested" "$caught" "$missed" "$timeout" "$unviable" "$score" "$excl" >>"$WORK/scores.tsv"
    say "$label: $tested mutants in $((secs / 60)) min $((secs % 60)) s: $caught caught, $missed missed ($score %), $timeout timeouts, $unviable unviable; $excl excluded as equivalent"
    if [ "$missed" -gt 0 ]; then
        say "$label: survivors:"
        sed 's/^/  /' "$o/missed.txt"
    fi
    if [ "$timeout" -gt 0 ]; then
        say "$label: timeouts (a hang is caught only by the timeout):"
        sed 's/^/  /' "$o/timeout.txt"
    fi
    TOTAL_CAUGHT=$((TOTAL_CAUGHT + caught))
    TOTAL_MISSED=$((TOTAL_MISSED + missed))
    if [ "$score" != - ] && awk -v s="$score" 'BEGIN { exit !(s < 85) }'; then
        BELOW+=("$label ($score %)")
    fi
}

TOTAL_CAUGHT=0
TOTAL_MISSED=0
BELOW=()

overall() {
    local total=$((TOTAL_CAUGHT + TOTAL_MISSED)) score
    [ "$total" -gt 0 ] || { say "overall: no viable mutant was tested (none in the lines or files asked for, or all unviable)"; return 0; }
    score=$(awk -v c="$TOTAL_CAUGHT" -v t="$total" 'BEGIN { printf "%.1f", 100 * c / t }')
    say "overall: $TOTAL_CAUGHT caught of $total ($score %); the aim is 85 % a module and 90 % overall"
    if [ ${#BELOW[@]} -gt 0 ]; then
        say "below 85 %: ${BELOW[*]}"
        exit 1
    fi
    awk -v s="$score" 'BEGIN { exit !(s < 90) }' && exit 1
    return 0
}

# The Wilson 95 % interval of a score of c caught out of n, as "lo-hi %".
wilson() {
    awk -v c="$1" -v n="$2" 'BEGIN {
        if (n == 0) { print "-"; exit }
        z = 1.96; p = c / n; d = 1 + z * z / n
        mid = (p + z * z / (2 * n)) / d
        half = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
        lo = mid - half; hi = mid + half
        if (lo < 0) lo = 0; if (hi > 1) hi = 1
        printf "%.0f-%.0f %%", 100 * lo, 100 * hi
    }'
}

SAMPLE_ROWS=()

lock() {
    mkdir -p "$WORK"
    exec 9>"$WORK/lock"
    flock -n 9 || die "another run of scripts/mutants.sh holds $WORK/lock"
}

[ $# -ge 1 ] || die "usage: scripts/mutants.sh MODULE [--shard K/N] | all | sample [S] | --diff BASE | --list (modules: ${MODULES[*]})"
[ -x "$CARGO_MUTANTS" ] || die "cargo-mutants is missing: run scripts/setup.sh --mutants"
check_exclusions

case $1 in
    --list)
        for m in "${MODULES[@]}"; do
            mapfile -t files < <(file_args "$m")
            n=$("$CARGO_MUTANTS" mutants --list "${files[@]}" | wc -l)
            printf '%-12s %5d mutants  %-40s cargo nextest run %s\n' "$m" "$n" "${FILES[$m]//;/ }" "$(tests_of "$m")"
        done
        ;;
    sample)
        size=${2:-8}
        [[ $size =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/mutants.sh sample [S] (S mutants a module, at least 1)"
        from=${3:-${MODULES[0]}}
        [ -n "${FILES[$from]:-}" ] && [ "$from" != rest ] || die "no module '$from' (modules: ${MODULES[*]})"
        lock
        copy_tree
        started=no
        for m in "${MODULES[@]}"; do
            [ "$m" = "$from" ] && started=yes
            [ $started = yes ] || continue
            mapfile -t files < <(file_args "$m")
            n=$(cd "$TREE" && "$CARGO_MUTANTS" mutants --list "${files[@]}" | wc -l)
            step=$(((n + size - 1) / size))
            [ "$step" -ge 1 ] || step=1
            before_c=$TOTAL_CAUGHT before_m=$TOTAL_MISSED
            run_module "$m" "$m-sample" --shard "0/$step" --sharding round-robin
            c=$((TOTAL_CAUGHT - before_c)) k=$((TOTAL_MISSED - before_m))
            SAMPLE_ROWS+=("$(printf '%-12s %5d mutants, every %3d-th: %2d caught of %2d, 95 %% interval %s' \
                "$m" "$n" "$step" "$c" "$((c + k))" "$(wilson "$c" "$((c + k))")")")
        done
        say "the sample, module by module (an estimate of each module's score, not its census):"
        printf '  %s\n' "${SAMPLE_ROWS[@]}"
        say "overall: $(wilson "$TOTAL_CAUGHT" "$((TOTAL_CAUGHT + TOTAL_MISSED))") (95 % interval)"
        overall
        ;;
    all)
        lock
        copy_tree
        for m in "${MODULES[@]}"; do run_module "$m" "$m"; done
        overall
        ;;
    --diff)
        [ $# -eq 2 ] || { [ $# -eq 4 ] && [ "$3" = --shard ] && [[ $4 =~ ^[0-9]+/[0-9]+$ ]]; } \
            || die "usage: scripts/mutants.sh --diff BASE [--shard K/N]"
        base=$2
        # With --shard K/N: every N-th changed-line mutant of each module, from the
        # K-th (a sample, when the whole diff would take hours).
        sharding=()
        [ $# -eq 4 ] && sharding=(--shard "$4" --sharding round-robin)
        git rev-parse --verify --quiet "$base^{commit}" >/dev/null || die "BASE '$base' is not a commit"
        # The diff from BASE to the work tree as it is (committed or not).
        diff=$(git diff "$base" -- src)
        [ -n "$diff" ] || { say "no line of src/ changed since $base"; exit 0; }
        lock
        printf '%s\n' "$diff" >"$WORK/diff.patch"
        copy_tree
        for m in "${MODULES[@]}" rest; do
            mapfile -t files < <(file_args "$m")
            n=$(cd "$TREE" && "$CARGO_MUTANTS" mutants --list "${files[@]}" --in-diff "$WORK/diff.patch" 2>/dev/null | wc -l) || n=0
            [ "$n" -gt 0 ] || continue
            run_module "$m" "diff-$m${4:+-shard-${4/\//-of-}}" --in-diff "$WORK/diff.patch" "${sharding[@]}"
        done
        overall
        ;;
    *)
        m=$1
        [ -n "${FILES[$m]:-}" ] && [ "$m" != rest ] || die "no module '$m' (modules: ${MODULES[*]})"
        shift
        label=$m
        if [ $# -gt 0 ] && [ "$1" = --iterate ] && [ $# -eq 1 ]; then
            :
        elif [ $# -gt 0 ]; then
            [ "$1" = --shard ] && [ $# -eq 2 ] && [[ $2 =~ ^[0-9]+/[0-9]+$ ]] \
                || die "usage: scripts/mutants.sh $m [--shard K/N | --iterate] (K from 0 to N-1)"
            label="$m-shard-${2/\//-of-}"
            # Every N-th mutant: each shard a sample of the whole module.
            set -- "$@" --sharding round-robin
        fi
        lock
        copy_tree
        run_module "$m" "$label" "$@"
        overall
        ;;
esac
