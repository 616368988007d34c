import json, sys, collections, subprocess
# top frames (self) and inclusive methods of jdk.ExecutionSample in a JFR file
out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", sys.argv[1]], capture_output=True, text=True).stdout
events = json.loads(out)["recording"]["events"]
selfc = collections.Counter(); incl = collections.Counter(); n = 0
for e in events:
    frames = e["values"]["stackTrace"]["frames"]
    if not frames: continue
    n += 1
    names = [f["method"]["type"]["name"].split(".")[-1] + "." + f["method"]["name"] for f in frames]
    selfc[names[0]] += 1
    for m in set(names): incl[m] += 1
print(n, "samples")
print("self:", ", ".join("%s %.0f%%" % (m, 100 * c / n) for m, c in selfc.most_common(12)))
print("inclusive:", ", ".join("%s %.0f%%" % (m, 100 * c / n) for m, c in incl.most_common(25)))
