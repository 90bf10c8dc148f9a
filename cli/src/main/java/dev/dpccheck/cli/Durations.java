package dev.dpccheck.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line, in milliseconds: {@code 500ms}, {@code 90s} or {@code 90}, {@code 10m}, {@code 1h}. */
final class Durations implements ITypeConverter<Long> {
    private static final long MAX_MILLIS = 7L * 24 * 3600 * 1000;

    @Override
    public Long convert(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit = 1000;
        String digits = v;
        if (v.endsWith("ms")) {
            unit = 1;
            digits = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 60_000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            unit = 3_600_000;
            digits = v.substring(0, v.length() - 1);
        }
        long n;
        try {
            n = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a duration such as 500ms, 90s, 10m or 1h");
        }
        if (n <= 0 || n > MAX_MILLIS / unit) {
            throw new TypeConversionException("'" + value + "' must be more than 0 and at most 7 days");
        }
        return n * unit;
    }
}
