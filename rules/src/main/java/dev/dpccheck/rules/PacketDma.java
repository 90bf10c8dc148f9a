package dev.dpccheck.rules;

import dev.dpccheck.analyzer.dataflow.PathEngine;
import dev.dpccheck.analyzer.driver.DriverModel;
import dev.dpccheck.analyzer.driver.Role;
import dev.dpccheck.analyzer.spi.Analysis;
import java.util.List;
import spoon.reflect.declaration.CtElement;

/**
 * Packet-based DMA in a driver that maps transfers with MapTransfer: the state of the current
 * mapping and of the adapter channel on each path. A DPC starts with a transfer mapped and the
 * channel held (it runs because the device finished the transfer the ISR reported); an adapter
 * control routine starts with the channel just granted. Mapping several pieces before the device
 * runs (a scatter/gather list) is fine; one flush ends them all. Checks DmaFlushMissing (a new
 * transfer mapped, the channel freed or the IRP completed before FlushAdapterBuffers ended the transfer)
 * and DmaResourceLeak (the channel freed twice or used after it was freed, or a DPC that
 * completes the IRP and returns with the channel still held and no new transfer started).
 */
final class PacketDma implements PathEngine.Property<PacketDma.State> {
    /**
     * NONE: nothing mapped; MAPPED: pieces mapped for a transfer that has not run yet (a driver may map
     * several, building a scatter/gather list); ENDED: a transfer ran and awaits its flush; FLUSHED.
     */
    enum Mapping { NONE, MAPPED, ENDED, FLUSHED }

    enum Channel { HELD, FREED, UNKNOWN }

    record State(Mapping mapping, Channel channel, boolean completed) {
    }

    private final Analysis analysis;

    private PacketDma(Analysis analysis) {
        this.analysis = analysis;
    }

    static List<PathEngine.Finding> findings(Analysis analysis) {
        return EngineRule.once(analysis, "PacketDma", new PacketDma(analysis));
    }

    @Override
    public State initial(DriverModel.Routine routine) {
        if (!analysis.calls("MapTransfer", routine.body())) {
            return null;
        }
        if (routine.role().isDpc()) {
            return new State(Mapping.ENDED, Channel.HELD, false);
        }
        if (routine.role() == Role.CONTROL) {
            return new State(Mapping.NONE, Channel.HELD, false);
        }
        return new State(Mapping.NONE, Channel.UNKNOWN, false);
    }

    @Override
    public State event(PathEngine<State>.Step step, State s) {
        CtElement e = step.element();
        String called = Wdm.called(e);
        if (called == null) {
            return s;
        }
        switch (called) {
            case "MapTransfer":
                if (s.mapping == Mapping.ENDED) {
                    step.report("DmaFlushMissing", "'MapTransfer' maps the next transfer before 'FlushAdapterBuffers'"
                            + " ended the previous one.");
                }
                if (s.channel == Channel.FREED) {
                    step.report("DmaResourceLeak", "'MapTransfer' uses the adapter channel after 'FreeAdapterChannel'"
                            + " freed it.");
                }
                return new State(Mapping.MAPPED, s.channel, s.completed);
            case "FlushAdapterBuffers":
                return new State(Mapping.FLUSHED, s.channel, s.completed);
            case "FreeAdapterChannel":
            case "FreeMapRegisters":
                if (s.mapping == Mapping.ENDED || s.mapping == Mapping.MAPPED) {
                    step.report("DmaFlushMissing", "'" + called + "' frees the map registers before"
                            + " 'FlushAdapterBuffers' ended their transfer.");
                }
                if (s.channel == Channel.FREED) {
                    step.report("DmaResourceLeak", "'" + called + "' frees the adapter channel a second time.");
                }
                return new State(Mapping.NONE, Channel.FREED, s.completed);
            case "IoCompleteRequest":
                if (s.mapping == Mapping.ENDED || s.mapping == Mapping.MAPPED) {
                    step.report("DmaFlushMissing", "The IRP is completed before 'FlushAdapterBuffers' ended its"
                            + " transfer.");
                }
                return new State(s.mapping == Mapping.ENDED || s.mapping == Mapping.MAPPED ? Mapping.NONE : s.mapping,
                        s.channel, true);
            default:
                return s;
        }
    }

    @Override
    public void exit(PathEngine<State>.Exit exit, State s) {
        if (exit.routine().role().isDpc() && s.completed && s.channel == Channel.HELD && s.mapping != Mapping.MAPPED) {
            exit.report("DmaResourceLeak", Wdm.routineName(exit.routine()) + " completes the IRP and returns holding"
                    + " the adapter channel.");
        }
    }
}
