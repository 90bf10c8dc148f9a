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
 * file (or a new path) gets a temporary file beside it that is renamed into place. Anything else is
 * written into, never replaced: a character device or a named pipe ({@code /dev/null},
 * {@code /dev/stdout}), and a symbolic link, which keeps being a link to the same file.
 */
public final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * Writes {@code text} to {@code target}; an IOException's message is one clause saying what is in
     * the way (the directory that is not writable and why, a directory where the file should be, ...).
     */
    public static void writeAtomically(Path target, String text) throws IOException {
        boolean link = Files.isSymbolicLink(target);
        if (link || Files.exists(target) && !Files.isRegularFile(target)) {
            String kind = FileKinds.special(target);
            if (kind != null && (kind.equals("a directory") || kind.equals("a socket"))) {
                throw new IOException("it is " + kind);
            }
            // replacing a device or a pipe would destroy it for everyone else; replacing a link's target
            // would break its other names and its owner's permissions
            try (OutputStream out = link ? Files.newOutputStream(target, StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)
                    : Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IOException(FileKinds.reason(e), e);
            }
            return;
        }
        Path dir = target.toAbsolutePath().getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new IOException("the directory '" + dir + "' is not writable (" + FileKinds.reason(e) + ")", e);
        }
        try {
            Files.writeString(tmp, text);
            // a temporary file is private (0600); the report gets the permissions of the file it replaces, or 0644
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, Files.exists(target) ? Files.getPosixFilePermissions(target)
                        : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IOException(FileKinds.reason(e), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
