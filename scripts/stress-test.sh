#!/usr/bin/env bash
# The whole suite, three times in a row, while both cores are kept busy by stress-ng. A test that
# passes only on an idle machine is a flaky test; this is how to find it before CI does.
# Usage: bash scripts/stress-test.sh [runs]   (default 3; each run's summary line is printed last)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
if ! command -v stress-ng >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "stress-test needs stress-ng (Debian package stress-ng)" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null
fi

logs="$(mktemp -d -t skiff-stress-XXXXXX)"
# One CPU hog per core, for as long as the runs take; stopped however this script ends.
stress-ng --cpu 2 --quiet &
stress_pid=$!
trap 'kill "$stress_pid" 2>/dev/null || true' EXIT

summaries=()
failed=0
for i in $(seq 1 "$runs"); do
  echo "▶ run $i of $runs (log: $logs/run-$i.log)"
  if node scripts/test.mjs >"$logs/run-$i.log" 2>&1; then status=ok; else status=FAILED; failed=1; fi
  summaries+=("run $i: $status — $(tail -n 1 "$logs/run-$i.log")")
  echo "  ${summaries[-1]}"
done

echo
printf '%s\n' "${summaries[@]}"
echo "logs: $logs"
exit "$failed"
