package dev.redisombatch.batch.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressDisplayTest {

    @Test
    void autoDrawsTheBarOnlyOnATerminalThatCanRedrawALine() {
        assertThat(ProgressDisplay.auto.drawsBar(true, "xterm-256color")).isTrue();
        assertThat(ProgressDisplay.auto.drawsBar(true, "dumb")).isFalse();
        assertThat(ProgressDisplay.auto.drawsBar(true, null)).isFalse();
        assertThat(ProgressDisplay.auto.drawsBar(true, "")).isFalse();
        assertThat(ProgressDisplay.auto.drawsBar(false, "xterm")).isFalse();
    }

    @Test
    void barAndLogAreWhatTheySayWhereverStandardErrorGoes() {
        assertThat(ProgressDisplay.bar.drawsBar(false, null)).isTrue();
        assertThat(ProgressDisplay.log.drawsBar(true, "xterm")).isFalse();
    }
}
