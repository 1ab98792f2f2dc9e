"""What Tollgate adds to the bare gateway, and where the guarded route's extra CPU goes: profile.sh's folded
stacks, per request, by component and by Tollgate entry point.

Usage: flame-summary.py RESULTS_TSV WORK_DIR JAR [INTERVAL_NS]
RESULTS_TSV rows (lib.sh measure): name, rps, p50, p99, CPU us/request, JIT us/request, non-2xx, socket errors,
requests;
WORK_DIR/<name>.collapsed: async-profiler's folded stacks of the same window ("frame;frame;...;leaf count").

Each sample goes to one component: the first frame, from the leaf up, that matches a component's pattern (so a
HashMap lookup inside jjwt counts as jjwt, a SHA-256 round inside an HMAC as crypto). Samples x interval /
requests = CPU us per request. For Tollgate the samples under AccessTokenGlobalFilter.filter are also shown on
their own: the check itself (the rest of the chain runs after that method has returned, so it is not nested).
"""

import collections
import os
import re
import sys

JIT = "JIT compiler"

# (component, regex on a frame with '/' read as '.'); first match from the leaf up wins; order breaks ties
# within one frame only.
COMPONENTS = [
    ("crypto (JCA: HMAC/SHA, RSA, EC, EdDSA)", r"^(sun\.security\.|com\.sun\.crypto\.|javax\.crypto\.|java\.security\.|java\.math\.BigInteger|java\.math\.MutableBigInteger)"),
    ("regex", r"^java\.util\.regex\."),
    ("Base64", r"Base64|^io\.jsonwebtoken\.impl\.io\.(Codec|Decod|Encod)"),
    ("JSON parsing (Jackson 2/3, jjwt-jackson, Nimbus JSON)", r"^(com\.fasterxml\.jackson|tools\.jackson|io\.jsonwebtoken\.jackson|com\.nimbusds\.jose\.shaded|net\.minidev\.json|dev\.tollgate\.token\.jwt\.StrictJsonDeserializer)"),
    ("exceptions (stack traces)", r"^java\.lang\.Throwable\.(fillInStackTrace|<init>)|fillInStackTrace"),
    ("headers (HttpHeaders, header maps)", r"^(org\.springframework\.http\.(HttpHeaders|ReadOnlyHttpHeaders|support\.Netty4HeadersAdapter)|org\.springframework\.util\.(LinkedCaseInsensitiveMap|LinkedMultiValueMap)|org\.springframework\.http\.server\.reactive\.(ReactorServerHttpRequest\.initHeaders|.*Headers))"),
    ("exchange/request mutate", r"^org\.springframework\.(http\.server\.reactive\.DefaultServerHttpRequestBuilder|web\.server\.(ServerWebExchangeDecorator|adapter\.DefaultServerWebExchangeBuilder)|http\.server\.reactive\.ServerHttpRequestDecorator)"),
    ("jjwt (parser, claims, other)", r"^io\.jsonwebtoken\."),
    ("Nimbus JOSE (other)", r"^com\.nimbusds\."),
    ("Spring Security (other)", r"^org\.springframework\.security\."),
    ("Tollgate code (other)", r"^dev\.tollgate\.(?!benchmarks\.)"),
    ("the peer's X-User-* header filter", r"^dev\.tollgate\.benchmarks\.peer\."),
    ("logging", r"^(ch\.qos\.logback|org\.apache\.logging|org\.slf4j|org\.apache\.commons\.logging)"),
    ("metrics/observation (Micrometer)", r"^io\.micrometer\."),
    ("Spring Cloud Gateway", r"^org\.springframework\.cloud\.gateway\."),
    ("Spring WebFlux/Framework", r"^org\.springframework\."),
    ("Reactor (core, Netty)", r"^reactor\."),
    ("Netty and kernel I/O", r"^io\.netty\.|_\[k\]$"),
    ("GC", r"(GenCollect|DefNewGeneration|TenuredGeneration|SerialHeap|MarkSweep|G1|PSScavenge|ParallelScavenge|GCTaskThread|CardTable|OopClosure|ScavengeRoots|Scavenge)"),
    (JIT, r"(CompileBroker|C2Compiler|Compilation::|Compile::|PhaseIdealLoop|PhaseChaitin|ciEnv|Parse::|GraphBuilder)"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in COMPONENTS]
OTHER = "other (JDK, JVM)"
CHECK_FRAME = re.compile(r"^dev\.tollgate\.token\.filter\.AccessTokenGlobalFilter\.filter$")
TOLLGATE_FRAME = re.compile(r"^dev\.tollgate\.(?!benchmarks\.)")
# The connection guard's Netty handlers pass every read on to the HTTP codec and the whole request pipeline: as an
# entry point only what they do themselves counts (the samples whose next frame is Netty's fireChannelRead are not
# theirs).
PASS_THROUGH = re.compile(r"^dev\.tollgate\.token\.firewall\.GuardedConnection\$\d+\.channelRead$")


def entry_point(frames):
    """The outermost Tollgate frame (class.method, package dropped) that is not a pass-through, or None: what
    Tollgate's code set off, inclusive of the framework, JDK and Netty work it called."""
    for i, frame in enumerate(frames):
        if not TOLLGATE_FRAME.match(frame):
            continue
        if PASS_THROUGH.match(frame) and any("fireChannelRead" in f for f in frames[i + 1:i + 3]):
            continue
        # a lambda's frame is Class$$Lambda$N.0x<address>.method: named by its class
        frame = re.sub(r"\$\$Lambda[^.]*\.0x[0-9a-f]+", "$$Lambda", frame)
        parts = frame.split(".")
        return ".".join(parts[-2:])
    return None


def component(frames):
    for frame in reversed(frames):
        for name, pattern in COMPILED:
            if pattern.search(frame):
                return name
    return OTHER


def load_stacks(path):
    totals = collections.Counter()
    check = collections.Counter()
    entries = collections.Counter()
    samples = 0
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [f.replace("/", ".") for f in stack.split(";")]
        frames = [re.sub(r"_\[[0-9a-z]\]$", lambda m: m.group(0) if m.group(0) == "_[k]" else "", f) for f in frames]
        name = component(frames)
        totals[name] += n
        samples += n
        if any(CHECK_FRAME.match(f) for f in frames):
            check[name] += n
        entry = entry_point(frames)
        if entry is not None:
            entries[entry] += n
    return totals, check, samples, entries


def load_threads(work, name):
    """CPU µs of each thread group (name without its number) during the measured window, or {} without data."""
    def read(path):
        totals = collections.Counter()
        if os.path.exists(path):
            for line in open(path, encoding="utf-8", errors="replace"):
                group, _, us = line.rstrip("\n").rpartition("\t")
                if us.isdigit():
                    totals[group] += int(us)
        return totals
    before = read(os.path.join(work, name + ".threads-before"))
    after = read(os.path.join(work, name + ".threads-after"))
    return {k: after[k] - before.get(k, 0) for k in after}


def load_allocations(work, name):
    """(bytes per request, bytes per request under each Tollgate entry point) from the allocation profile."""
    path = os.path.join(work, name + ".alloc.collapsed")
    requests_path = os.path.join(work, name + ".alloc.requests")
    if not (os.path.exists(path) and os.path.exists(requests_path)):
        return None, {}
    requests = int(open(requests_path).read().strip() or 0)
    if requests == 0:
        return None, {}
    total, entries = 0, collections.Counter()
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        entry = entry_point([f.replace("/", ".") for f in stack.split(";")])
        if entry is not None:
            entries[entry] += n
    return total / requests, {k: v / requests for k, v in entries.items()}


def load_results(path):
    results = {}
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 9:
            results[parts[0]] = dict(rps=float(parts[1]), cpu=float(parts[4]), jit=float(parts[5]),
                                     non2xx=int(parts[6]), requests=int(parts[8]))
    return results


def per_request(counter, requests, interval_ns):
    return {k: v * interval_ns / 1000.0 / requests for k, v in counter.items()}


def without_jit(counter):
    return {k: v for k, v in counter.items() if k != JIT}


class Case:
    """One measured case: what wrk and /proc said (rps, cpu, non2xx, requests) and its profile per request: by
    component (`per`), inside the access check (`check`) and by Tollgate entry point (`entries`)."""

    def __init__(self, work, results, name, interval_ns):
        totals, check, _, entries = load_stacks(os.path.join(work, name + ".collapsed"))
        self.name, self.result = name, results[name]
        requests = self.result["requests"]
        self.per = per_request(totals, requests, interval_ns)
        self.check = per_request(check, requests, interval_ns)
        self.entries = per_request(entries, requests, interval_ns)

    def headline(self, label):
        return "%s: %.0f req/s, %.0f µs CPU/request by /proc (profile: %.0f)" % (
            label, self.result["rps"], self.result["cpu"], sum(self.per.values()))


def table(public, guarded, title_public, title_guarded):
    """Components by extra CPU on the guarded side; JIT compilation is shown but left out of the totals."""
    p_all, g_all = public, guarded
    public, guarded = without_jit(public), without_jit(guarded)
    extra_total = sum(guarded.values()) - sum(public.values())
    rows = ["| component | %s µs/req | %s µs/req | extra µs/req | share of the extra |" % (title_public, title_guarded),
            "|---|---|---|---|---|"]
    for k in sorted(set(public) | set(guarded), key=lambda k: -(guarded.get(k, 0) - public.get(k, 0))):
        p, g = public.get(k, 0.0), guarded.get(k, 0.0)
        if max(p, g) < 0.5:
            continue
        share = "%.0f %%" % (100.0 * (g - p) / extra_total) if extra_total > 0 else ""
        rows.append("| %s | %.1f | %.1f | %+.1f | %s |" % (k, p, g, g - p, share))
    rows.append("| **total, without JIT** | **%.1f** | **%.1f** | **%+.1f** | |"
                % (sum(public.values()), sum(guarded.values()), extra_total))
    if max(p_all.get(JIT, 0.0), g_all.get(JIT, 0.0)) >= 0.5:
        rows.append("| (JIT compiler threads, not in the total) | %.1f | %.1f | | |"
                    % (p_all.get(JIT, 0.0), g_all.get(JIT, 0.0)))
    return rows


def main():
    results_path, work, jar = sys.argv[1:4]
    interval_ns = float(sys.argv[4]) if len(sys.argv) > 4 else 1e6
    results = load_results(results_path)
    out = ["# Profile summary (generated by benchmarks/edge/flame-summary.py)", "",
           "Jar: `%s`. CPU samples of all the gateway JVM's threads (async-profiler, event cpu, every %.0f µs of CPU), "
           "per completed request. Each sample is charged to the first frame from the leaf up that matches a "
           "component (a HashMap lookup inside jjwt counts as jjwt; SHA-256 inside HMAC as crypto)."
           % (os.path.basename(jar), interval_ns / 1000)]
    for alg_case in sorted(n[len("bare-"):] for n in results if n.startswith("bare-")):
        bare_name, tollgate_name = "bare-" + alg_case, "tollgate-" + alg_case
        if tollgate_name not in results:
            continue
        bare, tollgate = Case(work, results, bare_name, interval_ns), Case(work, results, tollgate_name, interval_ns)
        rb, rt = bare.result, tollgate.result
        out += ["", "## %s against the bare gateway" % tollgate_name, "",
                "%s; %s. The bare gateway is the same jar with tollgate.enabled=false%s."
                % (bare.headline("bare"), tollgate.headline("Tollgate"),
                   ", sent the same Authorization header" if alg_case.endswith("guarded") else ""), ""]
        out += table(bare.per, tollgate.per, "bare", "Tollgate")
        entries = tollgate.entries
        out += ["", "Tollgate's entry points on this route (the outermost Tollgate frame of a sample, inclusive of "
                "what it called; a sample is counted once):", "", "| entry point | µs/req |", "|---|---|"]
        for entry, us in sorted(entries.items(), key=lambda e: -e[1]):
            if us >= 0.1:
                out.append("| `%s` | %.1f |" % (entry, us))
        out.append("| **all Tollgate entry points** | **%.1f** |" % sum(entries.values()))
        b_threads, t_threads = load_threads(work, bare_name), load_threads(work, tollgate_name)
        if b_threads and t_threads:
            out += ["", "CPU by thread (the whole process, measured window, µs per request; thread numbers dropped):", "",
                    "| threads | bare | Tollgate |", "|---|---|---|"]
            for group in sorted(set(b_threads) | set(t_threads), key=lambda g: -t_threads.get(g, 0)):
                b = b_threads.get(group, 0) / rb["requests"]
                t = t_threads.get(group, 0) / rt["requests"]
                if max(b, t) >= 0.1:
                    out.append("| %s | %.1f | %.1f |" % (group, b, t))
        b_alloc, _ = load_allocations(work, bare_name)
        t_alloc, t_alloc_entries = load_allocations(work, tollgate_name)
        if b_alloc is not None and t_alloc is not None:
            out += ["", "Garbage: bare %.0f bytes allocated per request, Tollgate %.0f (%+.0f); under Tollgate's entry "
                    "points: %s." % (b_alloc, t_alloc, t_alloc - b_alloc, ", ".join(
                        "`%s` %.0f" % (k, v) for k, v in sorted(t_alloc_entries.items(), key=lambda e: -e[1])
                        if v >= 1) or "none")]
    names = [n for n in results if n.endswith("-public") and n.startswith(("tollgate-", "peer-"))]
    for public_name in names:
        base = public_name[: -len("-public")]
        guarded_name = base + "-guarded"
        if guarded_name not in results:
            continue
        public, guarded = Case(work, results, public_name, interval_ns), Case(work, results, guarded_name, interval_ns)
        pub, gua = public.per, guarded.per
        out += ["", "## %s" % base, "", "%s; %s. Flame graphs: `%s.html`, `%s.html`."
                % (public.headline("public"), guarded.headline("guarded"), public_name, guarded_name), ""]
        out += table(pub, gua, "public", "guarded")
        if guarded.check:
            pc, gc = public.check, guarded.check
            check_extra = sum(gc.values()) - sum(pc.values())
            route_extra = sum(without_jit(gua).values()) - sum(without_jit(pub).values())
            out += ["", "Inside `AccessTokenGlobalFilter.filter` (the check itself, inclusive): public %.1f µs/req, "
                    "guarded %.1f µs/req: %+.1f µs/req, against %+.1f µs/req for the whole guarded route without JIT "
                    "(the difference is outside the filter, or noise)."
                    % (sum(pc.values()), sum(gc.values()), check_extra, route_extra), ""]
            out += table(pc, gc, "public (filter)", "guarded (filter)")
    for name in [n for n in results if n.endswith("-refresh")]:
        c = Case(work, results, name, interval_ns)
        per = without_jit(c.per)
        out += ["", "## %s" % name, "", "%.0f refreshes/s, %.0f µs CPU per refresh by /proc (profile: %.0f)."
                % (c.result["rps"], c.result["cpu"], sum(per.values())), "", "| component | µs/refresh |", "|---|---|"]
        for k, v in sorted(per.items(), key=lambda e: -e[1]):
            if v >= 0.5:
                out.append("| %s | %.1f |" % (k, v))
        out += ["", "| Tollgate entry point | µs/refresh |", "|---|---|"]
        for k, v in sorted(c.entries.items(), key=lambda e: -e[1]):
            if v >= 0.5:
                out.append("| `%s` | %.1f |" % (k, v))
    for name in [n for n in results if n.endswith("-dpop")]:
        out += dpop_section(name, results, work, interval_ns)
    print("\n".join(out))


def dpop_section(name, results, work, interval_ns):
    """A DPoP request against a bearer request to the same route of the same JVM: by component, and by Tollgate
    entry point (where the proof's check and the rest of the extra land)."""
    bearer_name = name[: -len("-dpop")] + "-guarded"
    if bearer_name not in results:
        return []
    bearer, dpop = Case(work, results, bearer_name, interval_ns), Case(work, results, name, interval_ns)
    out = ["", "## %s against a bearer request (%s)" % (name, bearer_name), "",
           "%s; %s, %d answers other than 2xx (a proof refused would show here)."
           % (bearer.headline("bearer"), dpop.headline("DPoP"), dpop.result["non2xx"]), ""]
    out += table(bearer.per, dpop.per, "bearer", "DPoP")
    b_per, d_per = bearer.entries, dpop.entries
    out += ["", "| Tollgate entry point (inclusive) | bearer µs/req | DPoP µs/req | extra µs/req |", "|---|---|---|---|"]
    for k in sorted(set(b_per) | set(d_per), key=lambda k: -(d_per.get(k, 0) - b_per.get(k, 0))):
        b, d = b_per.get(k, 0.0), d_per.get(k, 0.0)
        if max(b, d) >= 0.5:
            out.append("| `%s` | %.1f | %.1f | %+.1f |" % (k, b, d, d - b))
    return out


if __name__ == "__main__":
    main()
