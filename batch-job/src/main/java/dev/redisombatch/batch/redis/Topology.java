package dev.redisombatch.batch.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The servers a run walks and what they hold: one master for a single server; for a cluster, each master with its
 * slots, its process' run_id and the {@link DatasetMark} it holds. Which slots a walk proves walked is told by what
 * each master said of itself during the walk ({@link NodeView}).
 */
public record Topology(List<Master> masters) {

    /**
     * One master.
     *
     * @param nodeId the cluster node id; empty for a single server
     * @param runId the process' run_id: a restart or a promoted replica has another one, with another hash seed
     * @param slots its slot ranges, as start-end pairs; empty for a single server
     * @param scanLayout how its SCAN cursor walks its keys
     * @param dataset the token of {@link DatasetMark} it holds, {@link DatasetMark#NONE} when it holds none
     */
    public record Master(
            String nodeId,
            String host,
            int port,
            String runId,
            List<int[]> slots,
            ScanLayout scanLayout,
            String dataset) {

        public String address() {
            return host + ":" + port;
        }
    }

    public Topology {
        masters = masters.stream().sorted(Comparator.comparing(Master::nodeId)).toList();
    }

    public static Topology single(String host, int port, String runId, ScanLayout scanLayout, String dataset) {
        return new Topology(List.of(new Master("", host, port, runId, List.of(), scanLayout, dataset)));
    }

    private static String digest(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 24);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The data the masters hold, as the tokens of their {@link DatasetMark}s: part of what identifies a run, so that
     * a run never continues a checkpoint taken on other data. {@link DatasetMark#NONE} while any master has none.
     */
    public String dataset() {
        if (masters.stream().anyMatch(master -> master.dataset().equals(DatasetMark.NONE))) {
            return DatasetMark.NONE;
        }
        List<String> tokens =
                masters.stream().map(Master::dataset).distinct().sorted().toList();
        return tokens.size() == 1 ? tokens.get(0) : digest(String.join(",", tokens));
    }

    /**
     * The data the masters hold ({@link #dataset}) and the processes holding it (their run_ids): a restart or a
     * failover, which may lose writes not yet saved or replicated, changes it, as a flush does. For a run that must
     * not trust what it wrote before such a change (a copy's target).
     */
    public String datasetAndProcesses() {
        return digest(dataset() + "|" + String.join(",", runIds()));
    }

    /** The masters' run_ids. */
    public Set<String> runIds() {
        return masters.stream().map(Master::runId).collect(Collectors.toCollection(TreeSet::new));
    }

    public Optional<Master> master(String nodeId) {
        return masters.stream().filter(master -> master.nodeId().equals(nodeId)).findFirst();
    }
}
