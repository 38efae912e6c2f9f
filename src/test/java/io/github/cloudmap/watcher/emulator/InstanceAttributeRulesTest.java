package io.github.cloudmap.watcher.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The IPv6 text forms RegisterInstance accepts for AWS_INSTANCE_IPV6 (RFC 4291, section 2.2). */
class InstanceAttributeRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"2001:0db8:85a3:0000:0000:abcd:0001:2345", "2001:db8::1", "::1", "::", "fe80::",
        "::ffff:192.0.2.44", "1:2:3:4:5:6:7:8", "1::8", "2001:DB8::A"})
    void validIpv6Addresses(String address) {
        assertThat(InstanceAttributeRules.isIpv6(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "10.0.0.1", "2001:db8:::1", "1::2::3", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "12345::1", "g::1", "::ffff:192.0.2.300", "1:2:3:4:5:6:7::8:9", "host.example.com"})
    void invalidIpv6Addresses(String address) {
        assertThat(InstanceAttributeRules.isIpv6(address)).isFalse();
    }
}
