package dev.dpccheck.wdm;

/** UNICODE_STRING: a counted string. */
public final class UnicodeString {
    /** The text. */
    public String Buffer;

    /** A string with the given text, the analog of {@code RtlInitUnicodeString}. */
    public UnicodeString(String buffer) {
        this.Buffer = buffer;
    }

    @Override
    public String toString() {
        return Buffer;
    }
}
