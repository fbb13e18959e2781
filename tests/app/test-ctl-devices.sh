#!/bin/sh
# healthpost-ctl decode, read and devices, run as staff run them.
# Usage: test-ctl-devices.sh HEALTHPOST_CTL CAPTURES_DIR
ctl="$1"
captures="$2"
failures=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect_output STATUS PATTERN COMMAND...: the exit status and one line of
# output (stdout and stderr together) matching the extended regex.
expect_output() {
  want_status="$1"; pattern="$2"; shift 2
  "$@" >"$work/out" 2>&1
  status=$?
  if [ "$status" -ne "$want_status" ]; then
    fail "$* exited with $status, not $want_status"; cat "$work/out"; return
  fi
  grep -Eq -- "$pattern" "$work/out" || { fail "$*: no line matches /$pattern/"; cat "$work/out"; }
}

# Every capture in the tree, replayed through its driver, gives the reading
# its comments name (the newest, as from a plugged-in device).
expect_output 0 '^blood-pressure systolic=131 mm\[Hg\] diastolic=86 mm\[Hg\] mean-arterial=101 mm\[Hg\] pulse-rate=74 /min' \
  "$ctl" decode --protocol ieee11073 "$captures/ieee11073-bp.hex"
expect_output 0 '^body-weight body-weight=81.45 kg' \
  "$ctl" decode --protocol ieee11073 --kind body-weight "$captures/ieee11073-scale-extended.hex"
expect_output 0 '^blood-glucose blood-glucose=97 mg/dL' \
  "$ctl" decode --protocol ieee11073 --kind blood-glucose "$captures/ieee11073-glucose.hex"
# A glucometer's capture read as a blood-pressure monitor's is refused.
expect_output 1 'not one of a blood-pressure monitor' "$ctl" decode --protocol ieee11073 "$captures/ieee11073-glucose.hex"
expect_output 1 'unknown kind “toaster”' "$ctl" decode --protocol ieee11073 --kind toaster "$captures/ieee11073-glucose.hex"
expect_output 1 '--kind is for ieee11073 captures only' "$ctl" decode --protocol contour --kind body-weight "$captures/contour.hex"
expect_output 0 '^blood-pressure systolic=128 mm\[Hg\] diastolic=82 mm\[Hg\] pulse-rate=64 /min device-time=2024-05-17T09:41:12Z' \
  "$ctl" decode --protocol omron-hem790 "$captures/omron-hem790.hex"
expect_output 0 '^blood-pressure systolic=128 mm\[Hg\] diastolic=82 mm\[Hg\] pulse-rate=64 /min device-time=2024-05-17T09:41' \
  "$ctl" decode --protocol omron-hem7322 "$captures/omron-hem7322.hex"
expect_output 0 '^body-weight body-weight=72.4 kg' "$ctl" decode --protocol hid-scale "$captures/hid-scale.hex"
expect_output 0 '^blood-glucose blood-glucose=93 mg/dL' "$ctl" decode --protocol contour "$captures/contour.hex"
expect_output 0 '^blood-glucose blood-glucose=112 mg/dL' "$ctl" decode --protocol freestyle "$captures/freestyle.hex"

# Traffic recorded from real devices (tests/devices/captures/real/, each
# file naming its source): the values the source gives.
real="$captures/real"
expect_output 0 '^blood-pressure systolic=123 mm\[Hg\] diastolic=78 mm\[Hg\] pulse-rate=87 /min device-time=2007-01-01T00:06:38' \
  "$ctl" decode --protocol omron-hem790 "$real/omron-hem790-one-reading.hex"
expect_output 0 '^blood-pressure systolic=120 mm\[Hg\] diastolic=73 mm\[Hg\] pulse-rate=67 /min device-time=2007-01-02T00:08:38' \
  "$ctl" decode --protocol omron-hem790 "$real/omron-hem790-two-readings.hex"
# antidote's blood-pressure agent APDUs, its manager's answers on the host's
# side: the driver's answers match but for the manager's own time stamp.
expect_output 0 '^blood-pressure systolic=113 mm\[Hg\] diastolic=71 mm\[Hg\] mean-arterial=85 mm\[Hg\] pulse-rate=71 /min device-time=2010-07-21T15:35:53' \
  "$ctl" decode --protocol ieee11073 "$real/ieee11073-bp-antidote.hex"
expect_output 0 'line 10: the same request, apart from bytes the replay does not compare' \
  "$ctl" decode --protocol ieee11073 "$real/ieee11073-bp-antidote.hex"
# antidote's body-composition scale, extended configuration of ten objects:
# the weight is the reading.
expect_output 0 '^body-weight body-weight=79.6 kg device-time=2010-07-21T09:40:00' \
  "$ctl" decode --protocol ieee11073 --kind body-weight "$real/ieee11073-scale-antidote.hex"
# A FreeStyle InsuLinx read by Abbott's own software: the driver, told the
# model, takes the newest of the meter's 237 records.
expect_output 0 '^blood-glucose blood-glucose=68 mg/dL device-time=2014-08-27T12:47:00.* device=freestyle:JAGT241-U6242' \
  "$ctl" decode --protocol freestyle --usb 1a61:3450 "$real/freestyle-insulinx-auto-assist.hex"
expect_output 1 '“1a61:9999” is not the VID:PID of a model the freestyle driver takes' \
  "$ctl" decode --protocol freestyle --usb 1a61:9999 "$real/freestyle-insulinx-auto-assist.hex"
# A Mettler Toledo PS60's recorded reports: its status reports in id 4 carry
# no weight and are passed over; 5.10 lb in id 3 is the reading.
expect_output 0 '^body-weight body-weight=5.1 \[lb_av\]' "$ctl" decode --protocol hid-scale "$real/hid-scale-mettler-ps60.hex"
# Omron's software asked for more than the driver does: the replay says
# which of its requests it left out.
expect_output 0 'requests? of the recorded host the driver did not make' \
  "$ctl" decode --protocol omron-hem790 "$real/omron-hem790-two-readings.hex"
# The meter's first answer (EOT, header frame, ENQ) is read without a
# protocol fault; the capture then ends where the source's quote does.
expect_output 1 'contour-usb-first-answer.hex: the capture ends at line 10; the driver then sent 41 42 43 01 06' \
  "$ctl" decode --protocol contour "$real/contour-usb-first-answer.hex"
# A Contour USB's whole session with an empty memory: the driver follows it
# to the end (header twice, P, L, EOT) and finds no reading.
expect_output 1 'contour-usb-whole-session.hex: line 22: The meter holds no reading' \
  "$ctl" decode --protocol contour "$real/contour-usb-whole-session.hex"
# A whole session with one result (glucometerutils' test of a Contour USB).
expect_output 0 '^blood-glucose blood-glucose=10.9 mmol/L device-time=2015-04-17T11:54:00.* device=contour:7390-2408612' \
  "$ctl" decode --protocol contour "$real/contour-usb-one-result.hex"
# The source quotes frames 1, 2, 4, 4 and 5 of no one session: the driver
# takes the U=303 header and frame 2, and refuses (NAK) a frame 4 after
# frame 2, as it must; test-astm checks both records' values.
expect_output 1 'the driver sent 41 42 43 01 15 after line 14;' \
  "$ctl" decode --protocol contour "$real/contour-next-usb-frames.hex"
# The monitor's "NO" is settled by the driver asking again, as Omron's
# software did; a capture without the second request holds no answer to it.
awk '/^> 07 47 4d 45 00 00 00 00$/ && ++gme == 2 { skip = 2 } skip > 0 { skip--; next } { print }' \
  "$real/omron-hem790-two-readings.hex" >"$work/no-retry.hex"
expect_output 1 'the driver sent 07 47 4d 45 00 00 00 00 after line [0-9]+; the recorded host never sent it' \
  "$ctl" decode --protocol omron-hem790 "$work/no-retry.hex"

# A damaged capture names the line the driver refused; a file that is not
# hex names the line and column; unknown protocols list the known ones.
sed 's/^< 41 42 43 3c 02 31 48/< 41 42 43 3c 02 31 58/' "$captures/contour.hex" >"$work/contour-bad.hex"
expect_output 1 'line [0-9]+' "$ctl" decode --protocol contour "$work/contour-bad.hex"
printf '01 02\n0x 03\n' >"$work/not-hex.hex"
expect_output 1 'line 2, column 2: expected a hex digit' "$ctl" decode --protocol hid-scale "$work/not-hex.hex"
expect_output 1 'no driver for protocol “nonsense” \(known: .*contour' "$ctl" decode --protocol nonsense "$work/not-hex.hex"
expect_output 2 'usage: healthpost-ctl decode' "$ctl" decode "$captures/contour.hex"
expect_output 1 'No such file' "$ctl" decode --protocol contour "$work/absent.hex"

# One reading from each protocol's simulator, through its real driver.
expect_output 0 '^blood-pressure systolic=121 mm\[Hg\] diastolic=79' "$ctl" read --simulated ieee11073-bp
expect_output 0 '^body-weight body-weight=72.4 kg' "$ctl" read --simulated ieee11073-scale
expect_output 0 '^blood-glucose blood-glucose=104 mg/dL' "$ctl" read --simulated ieee11073-glucose
expect_output 0 '^blood-pressure systolic=118 mm\[Hg\] diastolic=77' "$ctl" read --simulated omron-hem790
expect_output 0 '^blood-pressure systolic=118 mm\[Hg\] diastolic=77' "$ctl" read --simulated omron-hem7322
expect_output 0 '^body-weight body-weight=72.4 kg device=hid-scale' "$ctl" read --simulated hid-scale
expect_output 0 '^blood-glucose blood-glucose=104 mg/dL .*device=contour:' "$ctl" read --simulated contour
expect_output 0 '^blood-glucose blood-glucose=104 mg/dL .*device=freestyle:' "$ctl" read --simulated freestyle
expect_output 1 'no simulated device “toaster” \(known: ' "$ctl" read --simulated toaster
expect_output 1 'no measuring device “nowhere-0”' "$ctl" read nowhere-0

# A session recorded with read --record decodes to the reading the driver
# gave: the recording holds the exchange as it happened, in order.
for sim in omron-hem790 omron-hem7322 hid-scale contour freestyle ieee11073-bp ieee11073-scale ieee11073-glucose; do
  protocol="$sim"; kind=""
  case "$sim" in
    ieee11073-bp) protocol=ieee11073; kind="--kind=blood-pressure" ;;
    ieee11073-scale) protocol=ieee11073; kind="--kind=body-weight" ;;
    ieee11073-glucose) protocol=ieee11073; kind="--kind=blood-glucose" ;;
  esac
  "$ctl" read --simulated "$sim" --record "$work/$sim.hex" >"$work/read-$sim" 2>&1 || fail "read --record $sim failed"
  reading="$(grep -E '^(blood|body)' "$work/read-$sim" | sed 's/ device-time=.*//; s/ device=.*//')"
  [ -n "$reading" ] || { fail "read --simulated $sim gave no reading"; cat "$work/read-$sim"; continue; }
  grep -q 'simulated: recorded live by healthpost-ctl' "$work/$sim.hex" || fail "$sim: the recording does not say what it is"
  [ "$(stat -c %a "$work/$sim.hex")" = 600 ] || fail "$sim: the recording is not private (mode $(stat -c %a "$work/$sim.hex"))"
  "$ctl" decode --protocol "$protocol" $kind "$work/$sim.hex" >"$work/decoded-$sim" 2>&1 || { fail "decode of the $sim recording failed"; cat "$work/decoded-$sim"; }
  grep -qF -- "$reading" "$work/decoded-$sim" || { fail "the $sim recording does not decode to “$reading”"; cat "$work/decoded-$sim"; }
done
# An existing file is never replaced.
expect_output 1 'an existing file is never replaced' "$ctl" read --simulated hid-scale --record "$work/hid-scale.hex"

# The device list always answers, with or without USB.
expect_output 0 '^Measuring devices: [0-9]+' "$ctl" devices

[ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
echo "all checks passed"
