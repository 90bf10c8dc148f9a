package dev.dpccheck.analyzer.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;

/** The lines of a reported file, for carets and fingerprints; none when it cannot be read. */
public final class SourceLines {
    private SourceLines() {
    }

    public static List<String> of(String file) {
        try {
            return Files.readAllLines(Paths.get(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
