package dev.dpccheck.analyzer.report;

import dev.dpccheck.analyzer.scan.FileKinds;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Report files are written whole or not at all, and nothing but the report is touched. A regular
 * file (or a new path) gets a temporary file beside it that is renamed into place; a symbolic link
 * keeps being a link and its target is replaced so; a character device or a named pipe
 * ({@code /dev/null}, {@code /dev/stdout}) is written into, never replaced.
 */
public final class ReportFiles {
    /** Symbolic links followed before giving up, as the kernel does. */
    private static final int MAX_LINKS = 40;

    private ReportFiles() {
    }

    /**
     * Writes {@code text} to {@code target}; an IOException's message is one clause saying what is in
     * the way (the directory that is not writable and why, a directory where the file should be, ...).
     */
    public static void writeAtomically(Path target, String text) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            String kind = FileKinds.special(target);
            if (kind == null || kind.equals("a directory") || kind.equals("a socket")) {
                throw new IOException("it is " + (kind == null ? "not a regular file" : kind));
            }
            // a device or a pipe is written into: replacing it would destroy it for everyone else
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        Path real = followLinks(target);
        Path dir = real.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + real.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new IOException("the directory '" + dir + "' is not writable (" + FileKinds.reason(e) + ")", e);
        }
        try {
            Files.writeString(tmp, text);
            // a temporary file is private (0600); the report gets the permissions of the file it replaces, or 0644
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, Files.exists(real) ? Files.getPosixFilePermissions(real)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, real, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException(FileKinds.reason(e), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The path that {@code p} names once its symbolic links are followed, whether that file exists or not. */
    private static Path followLinks(Path p) throws IOException {
        Path at = p.toAbsolutePath();
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(at)) {
                return at;
            }
            at = at.resolveSibling(Files.readSymbolicLink(at)).normalize();
        }
        throw new IOException("it is a symbolic link loop");
    }
}
