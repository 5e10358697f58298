package io.vigil.server.targets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.collector.TargetValidator;
import io.vigil.model.Secret;
import io.vigil.model.Target;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A target as the API takes it: the YAML file's fields, with the password given only as
 * {@code password} (no env or file indirection over HTTP), checked by the same
 * {@link TargetValidator} as the file.
 *
 * @param target        the validated target; its password is {@link Secret#NONE} when none was given
 * @param passwordGiven false when the body had no {@code password} field: an update then keeps the stored one
 */
public record TargetRequest(Target target, boolean passwordGiven) {

    static final Set<String> FIELDS = apiFields();

    private static Set<String> apiFields() {
        var fields = new HashSet<>(TargetValidator.DEFINITION_FIELDS);
        fields.add("password");
        return Set.copyOf(fields);
    }

    /**
     * @param pathId the id from the URL of an update, null for a create
     * @throws TargetProblemsException listing every problem by field
     */
    public static TargetRequest parse(JsonNode body, String pathId) {
        List<TargetValidator.Problem> problems = new ArrayList<>();
        String label = pathId != null ? pathId : body != null && body.isObject() ? String.valueOf(TargetValidator.text(body, "id")) : "?";
        if (body == null || !body.isObject()) {
            problems.add(new TargetValidator.Problem("", "expected a JSON object with the target's fields"));
            throw new TargetProblemsException(label, problems);
        }
        ObjectNode node = (ObjectNode) body.deepCopy();
        TargetValidator.checkFields(node, FIELDS, problems);
        if (pathId != null) {
            String bodyId = TargetValidator.text(node, "id");
            if (bodyId != null && !bodyId.equals(pathId)) {
                problems.add(new TargetValidator.Problem("id", "'" + bodyId + "' differs from the id in the path '" + pathId + "'; ids cannot be renamed"));
            }
            node.put("id", pathId);
        }
        JsonNode password = node.get("password");
        boolean passwordGiven = password != null;
        Secret secret = Secret.NONE;
        if (password != null && !password.isNull()) {
            if (!password.isTextual()) {
                // Never echo the value: it may be a password typed into the wrong JSON type.
                problems.add(new TargetValidator.Problem("password", "expected a string"));
            } else {
                secret = Secret.of(password.textValue());
            }
        }
        Target target = TargetValidator.validate(node, TargetValidator.DEFAULT_INTERVAL, TargetValidator.DEFAULT_TIMEOUT, secret, problems);
        if (target != null && !target.kind().networked()) {
            // API targets are shared among the collectors, and any of them may read it: its own host's
            // cgroups, not this one's. Only the collector on the host can.
            problems.add(new TargetValidator.Problem("kind", "'" + target.kind().id() + "' targets are read from the local cgroup tree:"
                    + " define them in the targets file of the collector on that host (vigil.collector.targets-file)"));
        }
        if (!problems.isEmpty()) {
            throw new TargetProblemsException(label, problems);
        }
        return new TargetRequest(target, passwordGiven);
    }
}
