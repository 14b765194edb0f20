package dev.redisombatch.batch.redis;

/**
 * What one server said of itself at one moment: whether it is a master, its process' run_id, the slots it owns and
 * those it is moving out or in ({@code MIGRATING}/{@code IMPORTING}). A partition reads it when its walk starts, with
 * every page and when it ends: one process throughout, and a slot owned and not moving every time it looked, mean no
 * key of that slot left the server past the walk. A single server owns every slot and moves none.
 */
public record NodeView(boolean master, String runId, SlotSet owned, SlotSet moving) {

    /** What a partition whose server is no longer a master (failed over, removed) ends with. */
    public static final NodeView NOT_MASTER = new NodeView(false, "", SlotSet.NONE, SlotSet.NONE);

    public static NodeView singleServer(String runId) {
        return new NodeView(true, runId, SlotSet.ALL, SlotSet.NONE);
    }

    /** Whether both views are of one master process. */
    public boolean sameProcess(NodeView other) {
        return master && other.master && runId.equals(other.runId);
    }

    /** The owned slots no key of which is being moved: the ones a walk under this view can vouch for. */
    public SlotSet steadySlots() {
        return master ? owned.andNot(moving) : SlotSet.NONE;
    }

    /** As a checkpoint keeps it: {@code runId|owned|moving}, or {@code not-master}. */
    public String encode() {
        return master ? runId + "|" + owned + "|" + moving : "not-master";
    }

    /** The view {@link #encode()} wrote; anything else (an older checkpoint's topology digest) is no master's. */
    public static NodeView decode(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            return NOT_MASTER;
        }
        return new NodeView(true, parts[0], SlotSet.parse(parts[1]), SlotSet.parse(parts[2]));
    }

    /**
     * A cluster node's view of itself from its own {@code CLUSTER NODES} line (the one flagged {@code myself}):
     * slot ranges, and {@code [slot->-node]} / {@code [slot-<-node]} for slots being moved out or in.
     */
    public static NodeView ofClusterNode(String runId, String clusterNodes) {
        for (String line : clusterNodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 8 || !fields[2].contains("myself")) {
                continue;
            }
            if (!fields[2].contains("master") || fields[2].contains("fail")) {
                return NOT_MASTER;
            }
            StringBuilder owned = new StringBuilder();
            StringBuilder moving = new StringBuilder();
            for (int i = 8; i < fields.length; i++) {
                String field = fields[i];
                if (field.startsWith("[")) {
                    moving.append(field, 1, field.indexOf('-')).append(',');
                } else {
                    owned.append(field).append(',');
                }
            }
            return new NodeView(true, runId, SlotSet.parse(owned.toString()), SlotSet.parse(moving.toString()));
        }
        return NOT_MASTER;
    }
}
