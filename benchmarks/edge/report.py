"""The markdown report of benchmarks/edge/run.sh.

Usage: report.py RESULTS_TSV WORK_DIR [header line...]
RESULTS_TSV rows: round, algorithm ("-" for direct), case, rps, p50 us, p99 us, CPU us/request, of which JIT
compiler threads us/request, non-2xx, socket errors, requests.
Medians over rounds; ratios are the median of each round's ratio (both sides measured minutes apart at most).
"""

import collections
import glob
import os
import re
import statistics
import sys

CASES = ["direct", "bare-public", "public", "bare-guarded", "guarded", "peer-public", "peer-guarded", "refresh",
         "before-public", "before-guarded"]


def load(path):
    cells = collections.defaultdict(list)  # (algorithm, case) -> [row per round]
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 11:
            continue
        rnd, alg, case = parts[0], parts[1], parts[2]
        rps, p50, p99, cpu, jit, non2xx, sock, requests = (float(x) for x in parts[3:])
        cells[(alg, case)].append(dict(round=rnd, rps=rps, p50=p50, p99=p99, cpu=cpu, jit=jit, non2xx=int(non2xx),
                                       sock=int(sock), requests=int(requests)))
    return cells


def failed(rows):
    return any(r["non2xx"] > 0 or r["requests"] == 0 for r in rows)


def median(rows, key):
    return statistics.median(r[key] for r in rows)


def rps(cells, alg, case):
    rows = cells.get((alg, case))
    if not rows:
        return ""
    if failed(rows):
        return "FAILED (%d non-2xx)" % sum(r["non2xx"] for r in rows)
    return "%.0f" % median(rows, "rps") + ("*" if any(r["sock"] for r in rows) else "")


def ratio(cells, alg, top, bottom):
    a, b = cells.get((alg, top)), cells.get((alg, bottom))
    if not a or not b or failed(a) or failed(b):
        return ""
    by_round = {r["round"]: r["rps"] for r in b}
    ratios = [r["rps"] / by_round[r["round"]] for r in a if by_round.get(r["round"])]
    if not ratios:
        return ""
    text = "%.2f" % statistics.median(ratios)
    if len(ratios) > 1:
        text += " (%.2f–%.2f)" % (min(ratios), max(ratios))
    return text


def cpu_ratio(cells, alg, top, bottom):
    """The rps ratio that the CPU per request (without JIT) predicts for a gateway that has its core to itself."""
    a, b = cells.get((alg, top)), cells.get((alg, bottom))
    if not a or not b or failed(a) or failed(b):
        return ""
    by_round = {r["round"]: r["cpu"] - r["jit"] for r in b}
    ratios = [by_round[r["round"]] / (r["cpu"] - r["jit"]) for r in a
              if r["cpu"] - r["jit"] > 0 and r["round"] in by_round]
    return "%.2f" % statistics.median(ratios) if ratios else ""


def cpu(cells, alg, case):
    """Median CPU µs per request without the JIT compiler threads'."""
    rows = cells.get((alg, case))
    if not rows or failed(rows):
        return ""
    return "%.0f" % statistics.median(r["cpu"] - r["jit"] for r in rows)


def round_trips(work, alg):
    path = os.path.join(work, "roundtrips-%s.txt" % alg)
    if not os.path.exists(path):
        return ""
    commands = [line.strip().lower() for line in open(path, encoding="utf-8") if line.strip()]
    return "%d (%s)" % (len(commands), ", ".join(commands))


def ms(us):
    return "%.2f ms" % (us / 1000.0)


def commands_per_refresh(work, alg, requests):
    calls = collections.Counter()
    for path in glob.glob(os.path.join(work, "commandstats-%s-*.txt" % alg)):
        for line in open(path, encoding="utf-8"):
            m = re.match(r"cmdstat_([^:]+):calls=(\d+)", line)
            if m and m.group(1) not in ("info", "config|resetstat", "config"):
                calls[m.group(1)] += int(m.group(2))
    if not requests or not calls:
        return ""
    return ", ".join("%s %.2f" % (cmd, n / requests) for cmd, n in calls.most_common())


def main():
    results, work, header = sys.argv[1], sys.argv[2], sys.argv[3:]
    cells = load(results)
    algorithms = []
    for alg, _ in cells:
        if alg != "-" and alg not in algorithms:
            algorithms.append(alg)
    rounds = max((len(v) for v in cells.values()), default=0)
    out = ["## Edge benchmark", ""]
    out += ["- " + h for h in header]
    if any(cells.get((alg, "bare-public")) for alg in algorithms):
        out += ["", "### What Tollgate costs: against the bare gateway (the same jar, tollgate.enabled=false)", "",
                "bare/public = Tollgate's public route's requests/s over the bare gateway's (no header); "
                "bare+header/guarded = Tollgate's guarded route over the bare gateway's with the same Authorization "
                "header. Medians of the per-round ratios (min–max); CPU µs per request (without JIT) in brackets.", "",
                "| algorithm | bare | public | bare/public | bare, same header | guarded | bare+header/guarded "
                "| by CPU: bare/public | by CPU: bare+header/guarded |",
                "|---|---|---|---|---|---|---|---|---|"]
        for alg in algorithms:
            if not cells.get((alg, "bare-public")):
                continue
            out.append("| %s | %s (%s) | %s (%s) | %s | %s (%s) | %s (%s) | %s | %s | %s |" % (
                alg, rps(cells, alg, "bare-public"), cpu(cells, alg, "bare-public"), rps(cells, alg, "public"),
                cpu(cells, alg, "public"), ratio(cells, alg, "public", "bare-public"), rps(cells, alg, "bare-guarded"),
                cpu(cells, alg, "bare-guarded"), rps(cells, alg, "guarded"), cpu(cells, alg, "guarded"),
                ratio(cells, alg, "guarded", "bare-guarded"), cpu_ratio(cells, alg, "public", "bare-public"),
                cpu_ratio(cells, alg, "guarded", "bare-guarded")))
    out += ["", "### Throughput, requests/s (median of %d round%s)" % (rounds, "" if rounds == 1 else "s"), ""]
    out.append("| algorithm | direct | public | guarded | guarded/public | peer public | peer guarded "
               "| Tollgate guarded / peer guarded |")
    out.append("|---|---|---|---|---|---|---|---|")
    for alg in algorithms:
        if not any(cells.get((alg, c)) for c in CASES[1:5]):
            continue
        peer = "n/a (no EdDSA in Spring Security)" if alg == "EdDSA" else ""
        out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            alg, rps(cells, "-", "direct"), rps(cells, alg, "public"), rps(cells, alg, "guarded"),
            ratio(cells, alg, "guarded", "public"), rps(cells, alg, "peer-public") or peer,
            rps(cells, alg, "peer-guarded") or peer, ratio(cells, alg, "guarded", "peer-guarded")))
    out += ["", "Ratios: median of the per-round ratios (min–max over rounds). direct = wrk → nginx, no gateway "
            "(measured once per round, the same in every row).", "",
            "The same ratios predicted from the gateway's CPU per request (without JIT), which other load on the "
            "machine disturbs less than the request rate (each gateway is CPU-bound on its core):", "",
            "| algorithm | guarded/public, by CPU | Tollgate guarded / peer guarded, by CPU | peer guarded/public, by CPU |",
            "|---|---|---|---|"]
    for alg in algorithms:
        if cells.get((alg, "guarded")):
            out.append("| %s | %s | %s | %s |" % (alg, cpu_ratio(cells, alg, "guarded", "public"),
                                                  cpu_ratio(cells, alg, "guarded", "peer-guarded"),
                                                  cpu_ratio(cells, alg, "peer-guarded", "peer-public")))
    before = [alg for alg in algorithms if cells.get((alg, "before-guarded"))]
    if before:
        out += ["", "### The before jar, in the same rounds (requests/s, medians; ratios as above)", "",
                "| algorithm | before public | before guarded | before guarded/public | before guarded / peer guarded "
                "| guarded / before guarded | by CPU: before guarded/public | by CPU: before guarded / peer guarded |",
                "|---|---|---|---|---|---|---|---|"]
        for alg in before:
            out.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
                alg, rps(cells, alg, "before-public"), rps(cells, alg, "before-guarded"),
                ratio(cells, alg, "before-guarded", "before-public"),
                ratio(cells, alg, "before-guarded", "peer-guarded"), ratio(cells, alg, "guarded", "before-guarded"),
                cpu_ratio(cells, alg, "before-guarded", "before-public"),
                cpu_ratio(cells, alg, "before-guarded", "peer-guarded")))
    out += ["",
            "", "### Latency and CPU (medians)", "",
            "CPU µs/request: utime+stime of the process under test (the gateway; nginx for direct) over the "
            "measured window, divided by the requests wrk completed; in brackets the part of it spent by the JVM's "
            "JIT compiler threads (still compiling when it is more than a few µs).", "",
            "| algorithm | case | requests/s (min–max) | p50 | p99 | CPU µs/request (JIT) |", "|---|---|---|---|---|---|"]
    for alg in ["-"] + algorithms:
        for case in CASES:
            rows = cells.get((alg, case))
            if not rows:
                continue
            spread = " (%.0f–%.0f)" % (min(r["rps"] for r in rows), max(r["rps"] for r in rows)) if len(rows) > 1 else ""
            out.append("| %s | %s | %s%s | %s | %s | %.0f (%.0f) |" % (
                alg, case, rps(cells, alg, case), spread, ms(median(rows, "p50")), ms(median(rows, "p99")),
                median(rows, "cpu"), median(rows, "jit")))
    refresh = [alg for alg in algorithms if cells.get((alg, "refresh"))]
    if refresh:
        out += ["", "### Refresh: independent sessions, one connection each", "",
                "| algorithm | refreshes/s | refresh/public | p50 | p99 | CPU µs/refresh (JIT) | Redis round trips "
                "of one refresh (MONITOR) | Redis commands per refresh, scripts' included (commandstats) |",
                "|---|---|---|---|---|---|---|---|"]
        for alg in refresh:
            rows = cells[(alg, "refresh")]
            out.append("| %s | %s | %s | %s | %s | %.0f (%.0f) | %s | %s |" % (
                alg, rps(cells, alg, "refresh"), ratio(cells, alg, "refresh", "public"), ms(median(rows, "p50")),
                ms(median(rows, "p99")), median(rows, "cpu"), median(rows, "jit"), round_trips(work, alg),
                commands_per_refresh(work, alg, sum(r["requests"] for r in rows))))
    if any(r["sock"] for rows in cells.values() for r in rows):
        out.append("\\* some socket errors (connect/read/write/timeout) in at least one round; see the .tsv.")
    print("\n".join(out))


if __name__ == "__main__":
    main()
