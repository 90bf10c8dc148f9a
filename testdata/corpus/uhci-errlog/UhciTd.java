package corpus.uhcierrlog;

/** A transfer descriptor in common memory: the controller updates ControlStatus as it runs it. */
final class UhciTd {
    long PhysicalAddress;
    boolean Allocated;
    int ControlStatus;
    int Token;
    long Buffer;
    int MaximumLength;
    UhciTransfer Transfer;
}
