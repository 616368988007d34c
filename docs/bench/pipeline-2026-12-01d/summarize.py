#!/usr/bin/env python3
"""Medians and min..max per (shape, variant) of interleave.sh logs: python3 summarize.py DIR [DIR...]"""
import glob, os, re, statistics, sys
rows = {}
for d in sys.argv[1:]:
    for f in sorted(glob.glob(os.path.join(d, "*-r*.log"))):
        m = re.match(r"(.+)-(sparse|dense)-r(\d+)\.log$", os.path.basename(f))
        if not m:
            continue
        v, shape, _ = m.groups()
        t = open(f).read()
        r = {}
        a = re.search(r"aggregator: [\d,]+ events in ([\d.]+) s \(([\d,]+) events/s\)", t)
        if not a or "FAILED" in t or "exited with 1" in t:
            r["failed"] = 1
        else:
            r["agg"] = int(a.group(2).replace(",", "")) / 1e6
        s = re.search(r"steady state after .*?: [\d,]+ events, ([\d,]+) events/s", t)
        if s:
            r["steady"] = int(s.group(1).replace(",", "")) / 1e6
        w = re.search(r"wall time ([\d.]+) s", t)
        if w:
            r["wall"] = float(w.group(1))
        for stage in ("aggregate", "sink"):
            c = re.search(r"\[%s\] cpu: process ([\d.]+) s, main thread ([\d.]+) s, JIT compilers ([\d.]+) s" % stage, t)
            if c:
                r[stage + "_cpu"] = float(c.group(1)); r[stage + "_jit"] = float(c.group(3))
        st = re.findall(r"stage \S+ exited with 0 \(cpu ([\d.]+) s", t)
        if len(st) == 4:
            r["stages_cpu"] = sum(float(x) for x in st)
        mem = re.search(r"sum of peak RSS (\d+) MB.*?counting shared pages once, (\d+) MB", t)
        if mem:
            r["rss_sum"] = int(mem.group(1)); r["rss_once"] = int(mem.group(2))
        l = re.search(r"load average: ([\d.]+)", t)
        if l:
            r["load"] = float(l.group(1))
        ok = re.search(r"\[sink\] sink: ([\d,]+) results", t)
        rows.setdefault((shape, v), []).append(r)
keys = [("agg", "aggregator M ev/s"), ("steady", "steady M ev/s"), ("wall", "wall s"), ("aggregate_cpu", "agg cpu s"),
        ("aggregate_jit", "agg JIT s"), ("sink_cpu", "sink cpu s"), ("sink_jit", "sink JIT s"), ("stages_cpu", "4 stages cpu s"), ("rss_sum", "sum peak RSS MB"),
        ("rss_once", "shared once MB"), ("load", "load1")]
for (shape, v), rs in sorted(rows.items()):
    out = ["%-6s %-8s n=%d%s" % (shape, v, len(rs), " FAILED=%d" % sum(1 for r in rs if "failed" in r) if any("failed" in r for r in rs) else "")]
    for k, name in keys:
        xs = [r[k] for r in rs if k in r]
        if xs:
            out.append("%s %.2f (%.2f..%.2f)" % (name, statistics.median(xs), min(xs), max(xs)))
    print(" | ".join(out))
# paired: each variant against the baseline (first of BASE, default j17) of the same round and shape (same lock hold)
base = os.environ.get("BASE", "j17")
pairs = {}
for d in sys.argv[1:]:
    for f in sorted(glob.glob(os.path.join(d, "*-r*.log"))):
        m = re.match(r"(.+)-(sparse|dense)-r(\d+)\.log$", os.path.basename(f))
        if m:
            pairs.setdefault((d, m.group(2), m.group(3)), {})[m.group(1)] = f
def agg(f):
    a = re.search(r"aggregator: [\d,]+ events in [\d.]+ s \(([\d,]+) events/s\)", open(f).read())
    return int(a.group(1).replace(",", "")) if a else None
ratios = {}
for (d, shape, r), vs in pairs.items():
    if base not in vs or agg(vs[base]) is None:
        continue
    for v, f in vs.items():
        if v != base and agg(f) is not None:
            ratios.setdefault((shape, v), []).append(agg(f) / agg(vs[base]))
for (shape, v), xs in sorted(ratios.items()):
    print("paired %-6s %-8s / %s: aggregator rate ratio median %.2f (%.2f..%.2f), n=%d" % (shape, v, base, statistics.median(xs), min(xs), max(xs), len(xs)))
