package dev.dpccheck.kernel;

import java.util.List;

/**
 * What one schedule did.
 *
 * @param seed the seed of its strategy
 * @param violations the distinct violations, in the order observed
 * @param irpsIssued the user requests issued
 * @param irpsCompleted the user requests completed
 * @param bytesVerified the bytes the end-to-end oracle checked
 * @param steps the scheduling steps taken
 * @param virtualMicros the virtual time at the end
 * @param choices the number of recorded choices
 * @param choiceDigest a digest of the choices, equal for equal schedules
 */
public record ScheduleResult(long seed, List<Violation> violations, int irpsIssued, int irpsCompleted,
        long bytesVerified, long steps, long virtualMicros, int choices, long choiceDigest) {
}
