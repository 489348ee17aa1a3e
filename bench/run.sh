#!/usr/bin/env bash
# Run every benchmark; results land in bench/results/*.json and are quoted in docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash installer/dev.sh setup
mkdir -p bench/results
for script in bench/library_bench.py bench/search_bench.py bench/sync_bench.py bench/outbox_bench.py \
    bench/central_bench.py bench/ui_bench.py bench/currency_bench.py bench/topics_bench.py bench/expansion_bench.py \
    bench/app_update_bench.py bench/scale_bench.py bench/ocr_bench.py; do
  if [ -f "$script" ]; then
    echo "== $script"
    .venv/bin/python "$script" "$@"
  fi
done
