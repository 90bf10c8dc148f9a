package dev.dpccheck.kernel.verifier;

/** The device queue holds requests and nothing will ever start them. */
public final class DeviceQueueStalled extends Monitor {
    public DeviceQueueStalled() {
        super("DeviceQueueStalled", Component.IO,
                "Requests stay in the device queue with no StartIo under way.",
                "the device queues when a run stalls: requests queued and no StartIo under way");
    }

    /**
     * {@code currentEnded}: the call that completed the device's current request with no StartIo
     * since, in words, or null; {@code lastTouch}: the last driver call that changed the queue, or null.
     */
    public void stalled(String device, int queued, String currentEnded, String lastTouch) {
        reportRun("The device queue of '" + device + "' holds " + queued + " IRPs and no StartIo is in progress"
                + (currentEnded != null ? "; its current request was completed by " + currentEnded
                        + " and nothing started the next"
                        : lastTouch != null ? "; the last driver call that moved it was " + lastTouch : "") + ".");
    }
}
