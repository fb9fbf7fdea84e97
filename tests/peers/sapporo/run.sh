#!/usr/bin/env bash
# sapporo-service's run.sh contract for the interop tests: run the CWL workflow of one run
# with the cwltool of tests/peers/.venv, directly in the run's `exe` folder (sapporo's
# bundled run.sh starts every engine in docker). sapporo starts it as `run.sh <run_dir>`
# and reads the run's state from the files it writes:
#   state.txt      QUEUED (written by sapporo), RUNNING, then COMPLETE, EXECUTOR_ERROR,
#                  SYSTEM_ERROR or CANCELED; CANCELING is written by sapporo on a cancel,
#                  which then sends SIGUSR1;
#   run.pid        this script's pid, once its traps are set;
#   exit_code.txt, end_time.txt, cmd.txt, stdout.log, stderr.log, outputs.json.
# The environment names the programs it runs: CWLTOOL, SAPPORO_CLI and PYTHON.
set -uo pipefail
# Job control gives the engine its own process group, so that a cancel stops all of it.
set -m

run_dir=$1
state="${run_dir}/state.txt"
exe_dir="${run_dir}/exe"

write() {
    printf '%s\n' "$2" >"${run_dir}/$1"
}

current_state() {
    cat "${state}" 2>/dev/null || true
}

finish() {
    write exit_code.txt "$1"
    write end_time.txt "$(date -u +"%Y-%m-%dT%H:%M:%S")"
    write state.txt "$2"
}

cancel_by_request() {
    if [[ -n "${engine:-}" ]]; then
        kill -TERM -- "-${engine}" 2>/dev/null || true
        wait "${engine}" 2>/dev/null || true
    fi
    finish 138 CANCELED
    exit 138
}

trap cancel_by_request USR1
write run.pid "$$"
if [[ "$(current_state)" == "CANCELING" ]]; then
    finish 138 CANCELED
    exit 138
fi
write state.txt RUNNING

workflow_url=$("${PYTHON}" -c 'import json, sys; print(json.load(open(sys.argv[1]))["workflow_url"])' \
    "${run_dir}/run_request.json")
command=("${CWLTOOL}" --outdir "${run_dir}/outputs" "${workflow_url}" "${exe_dir}/workflow_params.json")
printf '%s ' "${command[@]}" >"${run_dir}/cmd.txt"
mkdir -p "${run_dir}/outputs"

cd "${exe_dir}" || { finish 1 SYSTEM_ERROR; exit 1; }
"${command[@]}" >"${run_dir}/stdout.log" 2>"${run_dir}/stderr.log" </dev/null &
engine=$!
wait "${engine}"
code=$?
if [[ "${code}" -ne 0 ]]; then
    finish "${code}" EXECUTOR_ERROR
    exit "${code}"
fi
if ! "${SAPPORO_CLI}" dump-outputs "${run_dir}" 2>>"${run_dir}/stderr.log"; then
    finish 1 SYSTEM_ERROR
    exit 1
fi
finish 0 COMPLETE
