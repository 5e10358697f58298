package io.vigil.notifier.routing;

import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The route tree, matched as Alertmanager matches it: the root takes every alert; an alert descends
 * into the first child that matches (and into later ones too while the matched child says
 * {@code continue}); the deepest matching nodes are the routes it is notified on.
 */
public record RouteTree(Route root) {

    public List<Route> match(Labels labels) {
        var out = new ArrayList<Route>();
        collect(root, labels, out);
        return out;
    }

    private static boolean collect(Route node, Labels labels, List<Route> out) {
        if (!node.matches(labels)) {
            return false;
        }
        boolean childMatched = false;
        for (Route child : node.routes()) {
            if (collect(child, labels, out)) {
                childMatched = true;
                if (!child.continueMatching()) {
                    break;
                }
            }
        }
        if (!childMatched) {
            out.add(node);
        }
        return true;
    }

    public Optional<Route> find(String path) {
        return find(root, path);
    }

    private static Optional<Route> find(Route node, String path) {
        if (node.path().equals(path)) {
            return Optional.of(node);
        }
        for (Route child : node.routes()) {
            if (path.startsWith(child.path())) {
                var found = find(child, path);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Every route, depth first. */
    public List<Route> all() {
        var out = new ArrayList<Route>();
        walk(root, out);
        return out;
    }

    private static void walk(Route node, List<Route> out) {
        out.add(node);
        node.routes().forEach(c -> walk(c, out));
    }
}
