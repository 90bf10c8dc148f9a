package dev.dpccheck.kernel.hw;

import java.util.List;

/**
 * The default workload of a device: what its simulated user threads ask for, and the end-to-end
 * oracle that checks every completed request against the device model.
 */
public interface Workload {
    /** The requests of each user thread, in order; one list per thread. */
    List<List<Request>> threads();

    /**
     * Whether a user thread may cancel {@code request} while its driver holds it pending (see the
     * kernel's default workload): a workload whose accounting cannot absorb a cancelled request
     * says no for it.
     */
    default boolean cancellable(Request request) {
        return true;
    }

    /**
     * Whether a thread may send {@code next} while {@code inFlight} is still pending (overlapped
     * I/O, when a directed search asks for it): the oracle must be able to check both whatever
     * order the driver serves them in, or the driver must owe the order they were sent in. A thread
     * waits for its requests in the order it sent them, and they are checked in that order.
     */
    default boolean mayOverlap(Request inFlight, Request next) {
        return false;
    }

    /**
     * What the thread asks for next after {@code request} completed with {@code status} after
     * {@code information} bytes, before its next request: the rest of a cancelled read that the
     * stream still owes it, or of a cancelled write that the stream still expects; or null.
     */
    default Request remainder(Request request, int status, long information) {
        return null;
    }

    /**
     * Checks one completed request. Called in completion order.
     *
     * @param data for a successful read or IOCTL, the bytes the user buffer holds
     * @return null when the result is right; otherwise one sentence saying what is wrong
     */
    String verify(int thread, Request request, int status, long information, byte[] data);

    /** The number of bytes verified so far. */
    long bytesVerified();

    /**
     * Checks at the end of the run (e.g. the media holds what was written); null when right.
     */
    Mismatch finish();

    /**
     * What the end-of-run check found wrong, in one phrase, and the request whose result it
     * contradicts (the last write to a sector that does not hold its data), or null when no one
     * request is to blame.
     */
    record Mismatch(String what, Request lastRequest) {
    }
}
