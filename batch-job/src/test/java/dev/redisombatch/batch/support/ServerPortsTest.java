package dev.redisombatch.batch.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerPortsTest {

    @Test
    void aRangeIsTwoPortsWithADash() {
        assertThat(ServerPorts.Range.parse(" 20000-20999 ")).isEqualTo(new ServerPorts.Range(20000, 20999));
        assertThat(ServerPorts.Range.parse("20000-20000").random()).isEqualTo(20000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"20000", "20999-20000", "80-90", "20000-70000", "a-b", "20000-20999-21000", ""})
    void anythingElseIsRefusedNamingTheVariable(String text) {
        assertThatThrownBy(() -> ServerPorts.Range.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("SERVER_PORT_RANGE=" + text + ": expected LOW-HIGH");
    }
}
