package spsn.nir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NIR graph: named nodes and directed edges (source, target) between them, NIR's
 * {@code NIRGraph(nodes, edges, metadata)}. Nodes keep their insertion order. Metadata (strings
 * and numbers) describes, and never changes, what the graph computes: NIR's rule is that no
 * backend relies on it.
 */
public record NirGraph(Map<String, NirNode> nodes, List<Edge> edges, Map<String, Object> metadata) {

    /** The output of {@code from} goes to {@code to}. */
    public record Edge(String from, String to) {
    }

    public NirGraph {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        edges = List.copyOf(edges);
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    public NirGraph(Map<String, NirNode> nodes, List<Edge> edges) {
        this(nodes, edges, Map.of());
    }

    /** The names of the nodes that {@code name}'s output goes to, in edge order. */
    public List<String> successors(String name) {
        List<String> next = new ArrayList<>();
        for (Edge e : edges) {
            if (e.from().equals(name)) {
                next.add(e.to());
            }
        }
        return next;
    }

    /** The names of the nodes whose output goes to {@code name}, in edge order. */
    public List<String> predecessors(String name) {
        List<String> previous = new ArrayList<>();
        for (Edge e : edges) {
            if (e.to().equals(name)) {
                previous.add(e.from());
            }
        }
        return previous;
    }
}
