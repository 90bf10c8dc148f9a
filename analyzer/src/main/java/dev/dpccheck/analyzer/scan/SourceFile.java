package dev.dpccheck.analyzer.scan;

import java.nio.file.Path;

/**
 * One source file the pre-scan read.
 *
 * @param path where it is
 * @param display its path as reports show it: as the user named it, '/' separators
 * @param sha256 the hash of its bytes, hex
 * @param text its content
 */
public record SourceFile(Path path, String display, String sha256, String text) {
}
