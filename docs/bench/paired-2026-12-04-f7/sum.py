import sys, re, glob, collections, statistics
d = sys.argv[1]
res = collections.defaultdict(lambda: collections.defaultdict(list))
for f in sorted(glob.glob(d + "/*-r*.log")):
    label = f.split("/")[-1].rsplit("-r", 1)[0]
    for line in open(f):
        m = re.match(r"^(\w+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s", line)
        if m and m.group(1) not in ("peer",):
            res[label][m.group(1)].append((float(m.group(2)), float(m.group(5))))
for label in res:
    print(label, "  ".join("%s rate %.1f ratio %.2f (%s)" % (p, statistics.median(x[0] for x in v), statistics.median(x[1] for x in v), ",".join("%.2f" % x[1] for x in v)) for p, v in res[label].items()))
