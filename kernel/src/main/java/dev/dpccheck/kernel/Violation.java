package dev.dpccheck.kernel;

/**
 * A rule violation the kernel observed.
 *
 * @param rule the rule id (the same id as the static rule where one exists)
 * @param message one sentence, WDM names in single quotes
 * @param file the driver source file of the violating frame, relative to the driver's root, or null
 * @param line the line in that file, or 0
 * @param routine the driver routine running, e.g. {@code DpcForIsr}
 * @param context the context it ran in, e.g. {@code DPC on CPU1}
 * @param time the virtual time in microseconds
 * @param step the scheduling step
 */
public record Violation(String rule, String message, String file, int line, String routine, String context,
        long time, long step) {

    /**
     * {@code file:line}; the routine in angle brackets when no driver frame was found; {@code <run>}
     * for a violation of the whole run (a stall, an IRP never completed).
     */
    public String location() {
        if (file == null) {
            return routine.equals("-") ? "<run>" : "<" + routine + ">";
        }
        return file + ":" + line;
    }

    /** The key that makes two violations the same defect: rule and location. */
    public String key() {
        return rule + "@" + location();
    }
}
