#!/usr/bin/env python3
"""Reads a .nir file with NIR's own reader (nir.read) and prints what it read as JSON.

Run from a NIR source checkout (no install needed):
    PYTHONPATH=/path/to/NIR /usr/bin/python3 tools/nir/read_nir.py model.nir

The record lists the file's version, the graph's edges, its input/output types and, per node,
the NIR class the reader built and every field of it (arrays with dtype, shape and values), and
the graph's metadata, so
that a test can compare an export against what NIR itself understood.
"""
import dataclasses
import json
import sys

import numpy as np


def _value(v):
    if isinstance(v, np.ndarray):
        return {"dtype": str(v.dtype), "shape": list(v.shape), "values": v.ravel().tolist()}
    if isinstance(v, dict):
        return {k: _value(x) for k, x in v.items()}
    if isinstance(v, (np.generic,)):
        return v.item()
    return v


def record(path):
    import nir
    from nir.serialization import read_version

    graph = nir.read(path)
    nodes = {}
    for name in sorted(graph.nodes):
        node = graph.nodes[name]
        fields = {f.name: _value(getattr(node, f.name)) for f in dataclasses.fields(node)
                  if f.name not in ("metadata",)}
        nodes[name] = {"class": type(node).__name__, "fields": fields}
    return {
        "version": read_version(path),
        "edges": [list(e) for e in graph.edges],
        "input_type": _value(graph.input_type),
        "metadata": _value(dict(graph.metadata)),
        "output_type": _value(graph.output_type),
        "nodes": nodes,
    }


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: read_nir.py FILE.nir")
    json.dump(record(sys.argv[1]), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
