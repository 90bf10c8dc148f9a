package dev.dpccheck.cli;

/** The exit codes of every dpccheck command. */
public enum ExitCode {
    /** Ran, and found nothing at or above the failure threshold. */
    OK(0),
    /** Ran, and found findings or violations at or above the threshold. */
    FINDINGS(1),
    /** Usage error or unreadable input. */
    USAGE(2),
    /** dpccheck itself failed. */
    INTERNAL(3);

    /** The process exit status. */
    public final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
