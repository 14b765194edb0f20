package dev.redisombatch.batch.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NodeViewTest {

    private static final String NODES = """
            a1 127.0.0.1:7000@17000 myself,master - 0 0 4 connected 0-99 101-5460 [100->-b2] [6000-<-c3]
            b2 127.0.0.1:7001@17001 master - 0 1 2 connected 5461-10922
            c3 127.0.0.1:7002@17002 slave a1 0 1 4 connected
            """;

    @Test
    void aMasterSaysWhichSlotsItOwnsAndWhichItIsMoving() {
        NodeView view = NodeView.ofClusterNode("run-a", NODES);

        assertTrue(view.master());
        assertEquals("0-99,101-5460", view.owned().toString());
        assertEquals("100,6000", view.moving().toString());
        assertEquals("0-99,101-5460", view.steadySlots().toString(), "slot 100 is not owned here any more in full");
        assertEquals(view, NodeView.decode(view.encode()));
    }

    @Test
    void aReplicaOrAFailedNodeVouchesForNothing() {
        NodeView replica = NodeView.ofClusterNode(
                "run-c", NODES.replace("myself,master", "master").replace("slave a1", "myself,slave a1"));
        assertFalse(replica.master());
        assertTrue(replica.steadySlots().isEmpty());
        assertEquals(NodeView.NOT_MASTER, NodeView.decode("3f2a9c0d41e85b7a6c1d2e3f"), "an older checkpoint's digest");
    }

    @Test
    void aSingleServerOwnsEverySlot() {
        NodeView view = NodeView.singleServer("run");
        assertTrue(view.steadySlots().isAll());
        assertTrue(view.sameProcess(NodeView.decode(view.encode())));
        assertFalse(view.sameProcess(NodeView.singleServer("restarted")));
    }
}
