package io.github.cloudmap.watcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.cloudmap.watcher.OperationWatcherBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "PT5M, PT5M",
        "pt0.5s, PT0.5S",
        "P1D, PT24H",
        "PT23H59M, PT23H59M",
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
    @ValueSource(strings = {"2d", "1d1ms", "24h1s", "P1DT2H", "PT25H", "P365D", "pt99999999999999h",
        "99999999999999999999d", "9223372036854775807ms", "106752d", "PT9999999999999999999S"})
    void refusesMoreThanTheLibrarysOneDayInsteadOfWrappingAround(String text) {
        // 106752d is 2^63 ns and a bit: read with longValue() it came out negative.
        assertThatThrownBy(() -> DurationConverter.parse(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("'" + text + "' is too large: at most 1 day (24h or PT24H)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "P1D", "24h", "PT24H", "1440m"})
    void acceptsUpToOneDay(String text) {
        assertThat(DurationConverter.parse(text)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void theLimitIsTheLibrarys() {
        // The watcher refuses a longer timeout itself: a larger CLI limit only moves the error later.
        assertThat(DurationConverter.MAX).isEqualTo(OperationWatcherBuilder.MAX_DURATION);
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
