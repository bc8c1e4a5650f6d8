# measure.sh — sourced by the timing scripts of bench/. measure LABEL
# COMMAND... runs COMMAND once under /usr/bin/time (its output dropped),
# appends "LABEL wall-seconds peak-KB user-seconds system-seconds" to the
# file $times, and prints the figures with the load; on failure it prints
# the command's stderr and exits. $work is the scripts' scratch folder.
measure() {
	local label=$1
	shift
	/usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || {
		echo "$label failed:" >&2
		cat "$work/stderr.txt" >&2
		exit 1
	}
	echo "$label $(cat "$work/time.txt")" >>"$times"
	echo "  $label: $(awk '{printf "%.2f s wall, %.2f s CPU, %.0f MB peak RSS", $1, $3+$4, $2/1024}' "$work/time.txt") (load $(cut -d' ' -f1 /proc/loadavg))"
}
