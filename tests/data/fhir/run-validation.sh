#!/bin/sh
# Exports the fixture bundles and validates them against the official FHIR R4
# JSON schema; the deliberately broken ones must be refused.
# usage: run-validation.sh SOURCE_DIR WORK_DIR TEST_FHIR_PROGRAM HEALTHPOST_CTL
set -eu

source_dir="$1"
work_dir="$2"
writer="$3"
ctl="$4"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "FAIL: $tool is missing (install the nodejs and npm packages)" >&2
    exit 1
  fi
done

# npm ci into the build tree, again only when the lock file changed.
modules_dir="$work_dir/npm"
stamp="$modules_dir/lock.sha256"
lock_hash="$(sha256sum "$source_dir/package-lock.json" | cut -d' ' -f1)"
if [ ! -d "$modules_dir/node_modules" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$lock_hash" ]; then
  rm -rf "$modules_dir"
  mkdir -p "$modules_dir"
  cp "$source_dir/package.json" "$source_dir/package-lock.json" "$modules_dir/"
  npm ci --prefix "$modules_dir" --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
cp "$source_dir/validate.js" "$modules_dir/validate.js"

bundles="$work_dir/bundles"
rm -rf "$bundles"
mkdir -p "$bundles"
"$writer" --write-bundles "$bundles"

# And one bundle as the real command writes it, from a demo store.
store_dir="$work_dir/store"
rm -rf "$store_dir"
mkdir -p "$store_dir"
"$writer" --write-store "$store_dir/visits.db"
printf '[storage]\ndatabase=%s\n' "$store_dir/visits.db" >"$store_dir/healthpost.conf"
if ! "$ctl" --config "$store_dir/healthpost.conf" --demo export --fhir --include-anonymous \
       "$bundles/cli-export.json"; then
  echo "FAIL: healthpost-ctl export failed" >&2
  exit 1
fi

status=0
count=0
for bundle in "$bundles"/*.json; do
  count=$((count + 1))
done
if [ "$count" -lt 7 ]; then
  echo "FAIL: only $count bundles were written" >&2
  exit 1
fi
if ! node "$modules_dir/validate.js" "$bundles"/*.json; then
  echo "FAIL: an export is not valid FHIR R4" >&2
  status=1
fi

# Every broken bundle must be refused; each is reported on its own line.
set -- "$bundles"/broken/*.json
if [ ! -e "$1" ]; then
  echo "FAIL: no broken bundle was written" >&2
  status=1
elif ! node "$modules_dir/validate.js" --expect-invalid "$@"; then
  echo "FAIL: a deliberately broken bundle passed validation" >&2
  status=1
fi
exit $status
