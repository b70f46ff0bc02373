"""PyTorch's side of the bench with and without an allocator warm-up, in one run:

    /usr/bin/python3 bench/torch/allocator_ab.py [rounds=7] [threads=1]

starts two bench.py servers (bench/run.ts's PyTorch workloads), one of which first allocates and frees
32 MB (what bench.py's server did until session 8: it raises glibc's mmap threshold, so large results
reuse memory instead of fresh pages), and times the large-output rows on both, interleaved. Prints per
row the median process CPU ms per call [min-max], the median wall ms and the median minor page faults
per call (/proc/<pid>/stat). Linux only.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROWS = ["conv2d fwd", "conv2d bwd input", "conv2d bwd weight", "maxpool2d fwd", "maxpool2d bwd", "train cnn batch 64 Adam", "infer cnn batch 256"]
WARM_UP = "import torch; _w = torch.empty(32 * 1024 * 1024 // 4 - 1024); del _w\n"


def start(warm, threads):
    serve = f"import runpy, sys; sys.path.insert(0, {HERE!r}); sys.argv = ['bench.py', '--serve', '{threads}']; runpy.run_path({os.path.join(HERE, 'bench.py')!r}, run_name='__main__')"
    env = dict(os.environ, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    p = subprocess.Popen([sys.executable, "-c", (WARM_UP if warm else "") + serve], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    p.stdout.readline()  # the build report
    return p


def ask(p, req):
    p.stdin.write(json.dumps(req) + "\n")
    p.stdin.flush()
    return json.loads(p.stdout.readline())


def minor_faults(p):
    # Field 10 of /proc/<pid>/stat; the command name in parentheses may hold spaces.
    return int(open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()[7])


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    servers = {"with warm-up": start(True, threads), "without": start(False, threads)}
    reps = {}
    for row in ROWS:
        for p in servers.values():
            s = ask(p, {"cmd": "prepare", "row": row})["s"]
            reps[row] = max(2, min(200, int(0.15 / max(s, 1e-6))))  # batches of about 150 ms
            ask(p, {"cmd": "time", "row": row, "reps": reps[row]})
    samples = {(row, k): [] for row in ROWS for k in servers}
    for r in range(rounds):
        for row in ROWS:
            for k, p in (list(servers.items()) if r % 2 == 0 else list(reversed(servers.items()))):
                f0 = minor_faults(p)
                t = ask(p, {"cmd": "time", "row": row, "reps": reps[row]})
                samples[(row, k)].append((t["cpu"] / reps[row] * 1e3, t["s"] / reps[row] * 1e3, (minor_faults(p) - f0) / reps[row]))
    print(f"PyTorch, {threads} thread(s), {rounds} interleaved rounds, per call: CPU ms median [min-max], wall ms median, minor faults median")
    print("| row | with 32 MB warm-up: CPU ms | wall ms | faults | without: CPU ms | wall ms | faults | without / with, CPU |")
    print("|---|---|---|---|---|---|---|---|")
    for row in ROWS:
        cells, med = [], {}
        for k in servers:
            xs = samples[(row, k)]
            cpu = [x[0] for x in xs]
            med[k] = statistics.median(cpu)
            cells += [f"{med[k]:.2f} [{min(cpu):.2f}-{max(cpu):.2f}]", f"{statistics.median(x[1] for x in xs):.2f}", f"{statistics.median(x[2] for x in xs):.0f}"]
        print(f"| {row} | " + " | ".join(cells) + f" | {med['without'] / med['with warm-up']:.2f} |")
    for p in servers.values():
        p.stdin.close()


if __name__ == "__main__":
    main()
