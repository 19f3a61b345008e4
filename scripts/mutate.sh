#!/usr/bin/env bash
# Mutation testing of the rule modules (pyproject [tool.mutmut]) against tests/rules, on SQLite.
# Every mutant is a small change to a rule (> becomes >=, 6 becomes 7 …); the tests must fail
# for it. Prints the score and the surviving mutants; fails below MUTATE_MIN (90 %) killed.
#   scripts/mutate.sh                     all mutants (about 330; 5–10 minutes on two cores)
#   scripts/mutate.sh 'members.status*'   only some (mutmut's name patterns)
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || exit 1
export LIANXIN_TESTING=1 PYTHONDONTWRITEBYTECODE=1
unset DATABASE_URL
MIN=${MUTATE_MIN:-90}

rm -rf mutants   # results are cached per source hash; a fresh copy keeps runs comparable
.venv/bin/mutmut run --max-children "${MUTATE_WORKERS:-2}" "$@" > .mutmut.log 2>&1
status=$?
tr '\r' '\n' < .mutmut.log | grep -v "^ *$" | tail -n 2   # the last progress line and the speed
if [ $status -ne 0 ]; then
  echo "mutmut failed (exit $status); see .mutmut.log"
  exit $status
fi
.venv/bin/mutmut results --all true > .mutmut-results.txt 2>&1
.venv/bin/python - "$MIN" "$#" <<'PY'
# A timeout counts as killed: the mutant made a test hang (e.g. a loop that never ends).
import collections, sys
per_module = collections.defaultdict(collections.Counter)
survivors = []
for line in open(".mutmut-results.txt"):
    name, sep, state = line.strip().rpartition(": ")
    if not sep or (state == "not checked" and sys.argv[2] != "0"):  # a partial run: only those run
        continue
    module = name.split(".x_")[0]
    caught = state in ("killed", "timeout")
    per_module[module]["caught" if caught else "not caught"] += 1
    if not caught:
        survivors.append((name, state))
total = sum(sum(c.values()) for c in per_module.values())
caught = sum(c["caught"] for c in per_module.values())
score = 100 * caught / total if total else 0
for module, counts in sorted(per_module.items()):
    print(f"  {module:<24} {counts['caught']:>4} of {sum(counts.values()):>4} caught")
print(f"mutation score: {caught} of {total} mutants caught ({score:.1f} %), minimum {sys.argv[1]} %")
for name, state in survivors:
    print(f"  {state}: {name}   (.venv/bin/mutmut show {name})")
sys.exit(0 if total and score >= float(sys.argv[1]) else 1)
PY
