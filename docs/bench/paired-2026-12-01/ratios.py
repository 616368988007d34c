#!/usr/bin/env python3
"""Paired ratios of every peer to a reference peer from PairedRingThroughput --verbose cycle lines.
Usage: ratios.py LOG REFERENCE [PEER...]: median (p10..p90) over the measured (non warm-up) cycles."""
import re
import sys

log, ref = sys.argv[1], sys.argv[2]
rows = [dict((m.group(1), float(m.group(2))) for m in re.finditer(r'(\w+) ([0-9.]+)M', line))
        for line in open(log) if line.startswith('cycle') and 'warm-up' not in line]
peers = sys.argv[3:] or [p for p in rows[0] if p != ref]


def q(values, fraction):
    values = sorted(values)
    return values[round((len(values) - 1) * fraction)]


for peer in peers:
    r = [row[peer] / row[ref] for row in rows]
    print(f"{peer}/{ref}: {q(r, .5):.2f} ({q(r, .1):.2f}..{q(r, .9):.2f}) over {len(r)} cycles")
