package io.vigil.rules.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Health of a MySQL Group Replication group from its members' own views. A member that was
 * expelled sees only itself and one cut off by a partition sees the others UNREACHABLE, so no
 * single view is the truth: the group is what the members that are themselves ONLINE agree on,
 * taking the view with the most ONLINE members (the majority side of a partition).
 */
final class GroupReplicationHealth {

    static final int ONLINE = 1;
    static final int RECOVERING = 2;
    static final int UNREACHABLE = 5;
    private static final String KIND = "group_replication";

    /**
     * One target of the cluster.
     *
     * @param name       the target, for reasons
     * @param up         whether it answered its scrape
     * @param localState its own MEMBER_STATE code, null when it does not say (no server_uuid in its view)
     * @param view       its view: member (host:port) to state code
     * @param primaries  the members of its view that take writes
     */
    record Member(String name, boolean up, Integer localState, Map<String, Integer> view, Set<String> primaries) {
    }

    private GroupReplicationHealth() {
    }

    static ClusterHealth evaluate(String cluster, List<Member> targets, long now) {
        var problems = new ArrayList<String>();
        Member best = null;
        for (Member t : targets) {
            if (!t.up()) {
                problems.add(t.name() + " down");
            } else if (t.localState() != null && t.localState() != ONLINE) {
                // A RECOVERING member is in the group, catching up; the view names it.
                if (t.localState() != RECOVERING) {
                    problems.add(t.name() + " is " + state(t.localState()) + " (not in the group)");
                }
            } else if (t.view().isEmpty()) {
                problems.add(t.name() + " reports no group");
            } else if (best == null || online(t.view()) > online(best.view())) {
                best = t;
            }
        }
        int size = Math.max(targets.size(), best == null ? 0 : best.view().size());
        if (best == null) {
            return new ClusterHealth(cluster, KIND, HealthStatus.RED, "no member is ONLINE in a group: the group takes no writes; "
                    + String.join(", ", problems), size, 0, now);
        }
        Map<String, Integer> view = best.view();
        int online = online(view);
        var notOnline = new ArrayList<String>();
        view.forEach((member, state) -> {
            if (state != ONLINE) {
                notOnline.add(member + " " + state(state));
            }
        });
        // A view keeps writing only while a majority of its members can be reached; RECOVERING ones count.
        int reachable = (int) view.values().stream().filter(st -> st == ONLINE || st == RECOVERING).count();
        if (reachable * 2 <= view.size()) {
            return new ClusterHealth(cluster, KIND, HealthStatus.RED, "majority lost: " + reachable + " of " + view.size()
                    + " members reachable, the group blocks writes until it is forced to a new membership ("
                    + String.join(", ", notOnline) + ")", size, online, now);
        }
        boolean writablePrimary = best.primaries().stream().anyMatch(p -> view.getOrDefault(p, 0) == ONLINE);
        if (!writablePrimary && !best.primaries().isEmpty()) {
            return new ClusterHealth(cluster, KIND, HealthStatus.RED, "no ONLINE primary: the group takes no writes",
                    size, online, now);
        }
        if (view.size() < targets.size() && problems.isEmpty()) {
            problems.add(0, (targets.size() - view.size()) + " of " + targets.size() + " targets not in the group's view (expelled or stopped)");
        }
        problems.addAll(0, notOnline);
        if (problems.isEmpty() && online >= 3) {
            return new ClusterHealth(cluster, KIND, HealthStatus.GREEN, "all " + online + " members ONLINE"
                    + primaryNote(best), size, online, now);
        }
        // A loss must leave a majority reachable and one member ONLINE to serve.
        int canLose = 0;
        while ((reachable - canLose - 1) * 2 > view.size() && online - canLose - 1 >= 1) {
            canLose++;
        }
        if (problems.isEmpty()) {
            problems.add("only " + online + (online == 1 ? " member" : " members") + ": none can fail without the group losing its majority");
        }
        String margin = canLose == 0 ? "; one more loss stops writes" : "; can lose " + canLose + " more";
        return new ClusterHealth(cluster, KIND, HealthStatus.YELLOW, online + " of " + size + " members ONLINE; "
                + String.join(", ", problems) + margin, size, online, now);
    }

    private static String primaryNote(Member best) {
        return best.primaries().size() == 1 ? ", primary " + best.primaries().iterator().next() : "";
    }

    private static int online(Map<String, Integer> view) {
        return (int) view.values().stream().filter(s -> s == ONLINE).count();
    }

    private static String state(int code) {
        return switch (code) {
            case 1 -> "ONLINE";
            case RECOVERING -> "RECOVERING";
            case 3 -> "OFFLINE";
            case 4 -> "ERROR";
            case UNREACHABLE -> "UNREACHABLE";
            default -> "in state " + code;
        };
    }
}
