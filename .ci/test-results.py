#!/usr/bin/env python3
"""Reads what `meson test` ran in a build folder, from its test log.

    test-results.py count BUILD      prints "PASSED FAILED SKIPPED", then
                                     one line per test skipped with reason
    test-results.py failures BUILD   names every test that did not pass,
                                     with the end of what it printed

A test passes when meson says it passed and none of its cases was skipped.
A skip (a whole test, or one case of a cmocka program in TAP) counts as
skipped only when the test printed, for each one, a line

    # cannot run here: WHY

and as failed otherwise: a skip proved nothing. cmocka writes a skipped
case as "not ok N # SKIP", which meson reads as a failure; it is counted
here as the skip it is.
"""

import json
import re
import sys

TAP_LINE = re.compile(r"^(not )?ok\b\s*\d*\s*(?:-\s*)?(.*?)(?:\s*#\s*(SKIP|TODO)\b\s*(.*))?$", re.IGNORECASE)
REASON = re.compile(r"^#\s*cannot run here:\s*(\S.*)$")
PASSING = ("OK", "EXPECTEDFAIL")


def read_log(build):
    with open(f"{build}/meson-logs/testlog.json") as log:
        for line in log:
            yield json.loads(line)


def judge(result):
    """Returns ("passed" | "failed" | "skipped", the reasons given)."""
    stdout = result.get("stdout") or ""
    lines = stdout.splitlines()
    reasons = [m.group(1) for m in map(REASON.match, lines) if m]
    skipped_cases = 0
    failed_cases = 0
    for line in lines:
        m = TAP_LINE.match(line)
        if not m:
            continue
        if m.group(3) and m.group(3).upper() == "SKIP":
            skipped_cases += 1
        elif m.group(1):
            failed_cases += 1
    verdict = result["result"]
    if verdict == "SKIP":
        skipped_cases = max(skipped_cases, 1)
    elif verdict in PASSING:
        pass
    elif verdict == "FAIL" and failed_cases == 0 and skipped_cases > 0 and result.get("returncode") == 0:
        # Only skipped cases made meson call it a failure.
        pass
    else:
        return "failed", reasons
    if skipped_cases == 0:
        return "passed", reasons
    if len(reasons) >= skipped_cases:
        return "skipped", reasons
    return "failed", reasons


def count(build):
    passed = failed = skipped = 0
    notes = []
    for result in read_log(build):
        verdict, reasons = judge(result)
        if verdict == "passed":
            passed += 1
        elif verdict == "skipped":
            skipped += 1
            notes.append(f"skipped {result['name']}: {'; '.join(reasons)}")
        else:
            failed += 1
    print(passed, failed, skipped)
    for note in notes:
        print(note)


def failures(build):
    for result in read_log(build):
        verdict, _ = judge(result)
        if verdict != "failed":
            continue
        print(f"--- {build}: {result['name']}: {result['result']} after {result['duration']:.1f} s")
        output = (result.get("stdout") or "") + "\n" + (result.get("stderr") or "")
        for text in output.splitlines()[-40:]:
            print(f"    {text}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("count", "failures"):
        sys.exit(__doc__)
    {"count": count, "failures": failures}[sys.argv[1]](sys.argv[2])
