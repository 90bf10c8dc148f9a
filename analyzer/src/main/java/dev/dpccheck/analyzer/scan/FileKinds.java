package dev.dpccheck.analyzer.scan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What kind of file a path is, for the message that says why it was not read: dpccheck reads only
 * regular files, since reading a named pipe blocks and a device such as {@code /dev/zero} never ends.
 */
public final class FileKinds {
    private FileKinds() {
    }

    /** "a named pipe", "a character device", ...: what the file (links followed) is, or null for a regular file. */
    public static String special(Path p) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
        if (a.isRegularFile()) {
            return null;
        }
        if (a.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
            switch (type) {
                case 0010000:
                    return "a named pipe";
                case 0020000:
                    return "a character device";
                case 0060000:
                    return "a block device";
                case 0140000:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // not a Unix file system: say only that it is not a regular file
        }
        return "a special file";
    }

    /** Why an I/O operation failed, in words: "permission denied", "a symbolic link loop", or the system's reason. */
    public static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemLoopException) {
            return "a symbolic link loop";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "it does not exist";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse("").strip();
    }
}
