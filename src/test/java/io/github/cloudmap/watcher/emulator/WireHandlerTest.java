package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;
import reactor.netty.channel.AbortedException;

/** Which failures mean "the client went away" (logged at DEBUG) and which are the emulator's (ERROR). */
class WireHandlerTest {

    @Test
    void aClosedOrResetConnectionIsTheClientGoingAway() {
        assertThat(WireHandler.clientGone(new AbortedException("Connection has been closed"))).isTrue();
        assertThat(WireHandler.clientGone(AbortedException.beforeSend())).isTrue();
        assertThat(WireHandler.clientGone(new ClosedChannelException())).isTrue();
        assertThat(WireHandler.clientGone(new SocketException("Connection reset"))).isTrue();
        assertThat(WireHandler.clientGone(new IOException("readAddress(..) failed: Connection reset by peer"))).isTrue();
        assertThat(WireHandler.clientGone(new IOException("Broken pipe"))).isTrue();
        assertThat(WireHandler.clientGone(new UncheckedIOException(new IOException("Broken pipe")))).isTrue();
    }

    @Test
    void anythingElseIsARealFailure() {
        assertThat(WireHandler.clientGone(new IllegalStateException("state corrupted"))).isFalse();
        assertThat(WireHandler.clientGone(new NullPointerException())).isFalse();
        assertThat(WireHandler.clientGone(new IOException("No space left on device"))).isFalse();
        assertThat(WireHandler.clientGone(new IOException((String) null))).isFalse();
        assertThat(WireHandler.clientGone(new RuntimeException("wrapped", new IllegalArgumentException()))).isFalse();
    }
}
