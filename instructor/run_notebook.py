#!/usr/bin/python3
"""Runs a notebook on Deno's Jupyter kernel, cell by cell, without losing outputs.

    /usr/bin/python3 instructor/run_notebook.py NOTEBOOK --cwd DIR [--out FILE]
        [--timeout SECONDS] [--cell-timeout SECONDS]

Stock nbconvert stops collecting a cell's outputs at the kernel's `idle`
message, and Deno's kernel sometimes publishes outputs after it: they are
silently lost (measured: 10 of 20 runs lost one). This runner keeps collecting a
cell's messages until the cell has replied *and* nothing new has come for
GRACE seconds after `idle`. It applies display updates (`display_id`), stops
at the first cell that fails, and prints one JSON object on stdout:

    {"cells": [{"index": 3, "seconds": 1.2, "cpu": 1.1,
                "kinds": ["stream:stdout", "image/svg+xml"],
                "error": {"ename": ..., "evalue": ..., "traceback": [...]}}, ...],
     "seconds": 12.3, "timed_out": false}

`index` counts code cells from 0; `seconds` is wall-clock time, `cpu` the
kernel's CPU time (user + system) for the cell; `error` is present only on a
failed cell.
The kernel starts in --cwd, so the notebook's relative imports resolve from
there (instructor/notebooks.ts runs each notebook twice: in the solutions'
folder and in the starter's). Only Debian's python3-jupyter-client and
python3-nbformat are needed. Exit status: 0 when the run finished (failed
cells included: the caller judges), 2 on bad usage or a kernel that did not
start.
"""
import argparse
import json
import os
import queue
import shutil
import sys
import tempfile
import time

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

GRACE = 0.3  # seconds of quiet after `idle` before a cell counts as done
POLL = 0.05


def kernel_manager(workdir: str) -> KernelManager:
    """A manager for Deno's kernel from a kernelspec of our own (no `deno jupyter --install` needed)."""
    deno = shutil.which("deno")
    if deno is None:
        sys.exit("run_notebook: deno is not on PATH")
    os.makedirs(os.path.join(workdir, "gradlab-deno"))
    with open(os.path.join(workdir, "gradlab-deno", "kernel.json"), "w") as f:
        json.dump({
            "argv": [deno, "jupyter", "--kernel", "--conn", "{connection_file}"],
            "display_name": "Deno (gradlab runner)",
            "language": "typescript",
        }, f)
    specs = KernelSpecManager(kernel_dirs=[workdir])
    return KernelManager(kernel_name="gradlab-deno", kernel_spec_manager=specs)


def run_cell(manager, client, code: str, deadline: float) -> tuple[list, dict | None, bool]:
    """Executes one cell; returns its outputs, its error (or None) and whether it timed out."""
    msg_id = client.execute(code, store_history=True, allow_stdin=False)
    outputs: list = []
    by_display_id: dict[str, list] = {}
    error = None
    replied = idle_at = None
    checked_alive = time.monotonic()
    while True:
        now = time.monotonic()
        if now > deadline:
            return outputs, error, True
        if now - checked_alive > 1:
            checked_alive = now
            if not manager.is_alive():
                died = {"ename": "KernelDied", "evalue": "the kernel died (out of memory?)",
                        "traceback": ["KernelDied: the kernel died during this cell (out of memory?)"]}
                return outputs, died, False
        if replied is None:
            try:
                reply = client.get_shell_msg(timeout=POLL)
                if reply["parent_header"].get("msg_id") == msg_id:
                    replied = reply["content"]
                    if replied.get("status") == "error" and error is None:
                        error = {k: replied.get(k) for k in ("ename", "evalue", "traceback")}
            except queue.Empty:
                pass
        try:
            msg = client.get_iopub_msg(timeout=POLL)
        except queue.Empty:
            if replied is not None and idle_at is not None and now - idle_at > GRACE:
                return outputs, error, False
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "status":
            if content["execution_state"] == "idle":
                idle_at = time.monotonic()
            continue
        if idle_at is not None:
            idle_at = time.monotonic()  # a late output: wait for quiet again
        if kind in ("execute_input", "comm_open", "comm_msg", "comm_close"):
            continue
        if kind == "clear_output":
            outputs.clear()
            by_display_id.clear()
            continue
        if kind == "update_display_data":
            for out in by_display_id.get(content.get("transient", {}).get("display_id"), []):
                out["data"] = content["data"]
                out["metadata"] = content.get("metadata", {})
            continue
        if kind == "stream" and outputs and outputs[-1].get("output_type") == "stream" \
                and outputs[-1]["name"] == content["name"]:
            outputs[-1]["text"] += content["text"]
            continue
        out = nbformat.v4.output_from_msg(msg)
        if kind == "error":
            error = {k: content.get(k) for k in ("ename", "evalue", "traceback")}
        outputs.append(out)
        display_id = content.get("transient", {}).get("display_id")
        if display_id:
            by_display_id.setdefault(display_id, []).append(out)


def cpu_seconds(pid: int) -> float:
    """The CPU time (user + system) a process has used so far, from /proc; 0 where there is none."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def kind_of(output) -> str:
    """`stream:stdout`, `error`, or the richest media type of a display (`image/png`, …)."""
    if output.output_type == "stream":
        return f"stream:{output.name}"
    if output.output_type == "error":
        return "error"
    types = [t for t in output.get("data", {}) if t != "text/plain"]
    return types[0] if types else "text/plain"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebook")
    parser.add_argument("--cwd", required=True, help="the folder the kernel starts in")
    parser.add_argument("--out", help="write the executed notebook here")
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the whole run")
    parser.add_argument("--cell-timeout", type=float, default=120, help="seconds for one cell")
    args = parser.parse_args()

    notebook = nbformat.read(args.notebook, as_version=4)
    started = time.monotonic()
    summary: dict = {"cells": [], "seconds": 0.0, "timed_out": False}
    with tempfile.TemporaryDirectory(prefix="gradlab-kernel-") as workdir:
        manager = kernel_manager(workdir)
        manager.start_kernel(cwd=os.path.abspath(args.cwd), env=dict(os.environ))
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=60)
        except RuntimeError as e:
            manager.shutdown_kernel(now=True)
            print(f"run_notebook: the kernel did not start: {e}", file=sys.stderr)
            return 2
        pid = manager.provisioner.pid if manager.provisioner else 0
        try:
            code_cells = [c for c in notebook.cells if c.cell_type == "code"]
            for index, cell in enumerate(code_cells):
                cell_started = time.monotonic()
                cpu_started = cpu_seconds(pid)
                deadline = min(started + args.timeout, cell_started + args.cell_timeout)
                outputs, error, timed_out = run_cell(manager, client, cell.source, deadline)
                cell.outputs = outputs
                cell.execution_count = index + 1
                record = {
                    "index": index,
                    "seconds": round(time.monotonic() - cell_started, 2),
                    "cpu": round(max(0.0, cpu_seconds(pid) - cpu_started), 2),
                    "kinds": [kind_of(out) for out in outputs],
                }
                if error:
                    record["error"] = error
                summary["cells"].append(record)
                if timed_out:
                    summary["timed_out"] = True
                    break
                if error:
                    break
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    summary["seconds"] = round(time.monotonic() - started, 2)
    if args.out:
        nbformat.write(notebook, args.out)
    json.dump(summary, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
