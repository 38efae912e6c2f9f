package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;
import software.amazon.awssdk.services.servicediscovery.model.OperationType;

class FailNextTest {

    @Test
    void readsTypeAndCodeInAnyCase() {
        assertThat(FailNext.parse(" register_instance = Throttled_Request "))
                .isEqualTo(new FailNext(OperationType.REGISTER_INSTANCE, "THROTTLED_REQUEST"));
    }

    @Test
    void aDocumentedCodeGetsCloudMapsWordingAndSaysWhereItCameFrom() {
        assertThat(FailNext.parse("CREATE_NAMESPACE=ACCESS_DENIED").errorMessage())
                .isEqualTo("The caller is not authorized to perform this operation"
                        + " (injected by the emulator: --fail-next CREATE_NAMESPACE=ACCESS_DENIED)");
        assertThat(FailNext.parse("UPDATE_SERVICE=SOMETHING_NEW").errorMessage())
                .startsWith("The operation failed with SOMETHING_NEW (injected by the emulator");
    }

    @Test
    void anUnknownTypeIsRefusedListingTheSdksTypes() {
        assertThatThrownBy(() -> FailNext.parse("REGISTER=THROTTLED_REQUEST"))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'REGISTER' in 'REGISTER=THROTTLED_REQUEST' is not an operation type: use CREATE_NAMESPACE,"
                        + " DELETE_NAMESPACE, UPDATE_NAMESPACE, UPDATE_SERVICE, REGISTER_INSTANCE, DEREGISTER_INSTANCE");
        assertThat(FailNext.validTypes()).doesNotContain("UNKNOWN_TO_SDK_VERSION");
    }

    @ParameterizedTest
    @ValueSource(strings = {"REGISTER_INSTANCE", "", "REGISTER_INSTANCE:THROTTLED_REQUEST"})
    void aValueWithoutEqualsShowsTheForm(String value) {
        assertThatThrownBy(() -> new FailNext.Converter().convert(value))
                .hasMessageContaining("is not TYPE=ERROR_CODE, e.g. REGISTER_INSTANCE=THROTTLED_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"REGISTER_INSTANCE=", "REGISTER_INSTANCE=THROTTLED REQUEST", "REGISTER_INSTANCE=1X"})
    void aMalformedCodeIsRefused(String value) {
        assertThatThrownBy(() -> FailNext.parse(value)).hasMessageContaining("is not an error code");
    }
}
