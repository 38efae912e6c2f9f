package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "PT5M, PT5M",
        "pt0.5s, PT0.5S",
        "P1DT2H, PT26H",
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "2h, PT2H",
        "1d, PT24H",
        "1h30m, PT1H30M",
        "1.5s, PT1.5S",
        "' 10S ', PT10S",
        "0s, PT0S",
    })
    void readsIsoAndSimpleForms(String text, String expected) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"366d", "365d1ms", "8760h1s", "P366D", "PT8761H", "pt99999999999999h",
        "99999999999999999999d", "9223372036854775807ms", "106752d", "PT9999999999999999999S"})
    void refusesMoreThan365DaysInsteadOfWrappingAround(String text) {
        // 106752d is 2^63 ns and a bit: read with longValue() it came out negative.
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is too large: at most 365 days (365d or P365D)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"365d", "P365D", "8760h", "PT8760H"})
    void acceptsUpTo365Days(String text) {
        assertThat(DurationConverter.parse(text)).isEqualTo(DurationConverter.MAX);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "5 minutes", "-5s", "s", "PT", "5x", "1.s", "P5M5"})
    void rejectsAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> new DurationConverter().convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("is not a duration")
                .hasMessageContaining("PT5M");
    }
}
