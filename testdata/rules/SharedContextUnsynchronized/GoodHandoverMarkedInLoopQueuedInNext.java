package rules.sharedcontextunsynchronized.goodhandovermarkedinloopqueuedinnext;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * A two-engine audio controller (playback and capture) with one interrupt and a DPC per engine.
 * The ISR first walks the engines: for each one that is running and reports its buffer done, it
 * records the position, stops the engine (Running drops) and notes it in a local array. A second
 * loop then queues the DPC of every engine noted. The ISR touches an engine's position only while
 * it runs, so the DPC reads what the ISR handed over; the SynchCritSection that starts the engine
 * raises Running again only after writing a fresh position.
 */
final class GoodHandoverMarkedInLoopQueuedInNext {
    static final int ENGINES = 2;
    static final int SR_DONE = 0x04;

    static final class Engine {
        final Kdpc Dpc = new Kdpc();
        Controller Owner;
        int Regs;
        boolean Running;
        int Position;
        Irp Active;
    }

    static final class Controller {
        KInterrupt Interrupt;
        final Engine[] Engines = new Engine[ENGINES];
    }

    @Role(DriverAddDevice.class)
    int AddDevice(DriverObject DriverObject, DeviceObject Pdo) {
        Controller ctl = (Controller) Pdo.DeviceExtension;
        for (int i = 0; i < ENGINES; i++) {
            ctl.Engines[i] = new Engine();
            ctl.Engines[i].Owner = ctl;
            ctl.Engines[i].Regs = 0x400 + 0x10 * i;
            KeInitializeDpc(ctl.Engines[i].Dpc, this::EngineDpc, ctl.Engines[i]);
        }
        Out<KInterrupt> interrupt = new Out<>();
        int status = IoConnectInterrupt(interrupt, this::ControllerIsr, ctl, null, 9, 9, 9, LevelSensitive, true, 1,
                false);
        ctl.Interrupt = interrupt.value;
        return status;
    }

    @Role(KSynchronizeRoutine.class)
    boolean StartEngine(Object Context) {
        Engine engine = (Engine) Context;
        engine.Position = 0;
        engine.Running = true;
        WRITE_PORT_UCHAR(engine.Regs, (byte) 1);
        return true;
    }

    @Role(KServiceRoutine.class)
    boolean ControllerIsr(KInterrupt Interrupt, Object ServiceContext) {
        Controller ctl = (Controller) ServiceContext;
        boolean[] done = new boolean[ENGINES];
        boolean claimed = false;
        for (int i = 0; i < ENGINES; i++) {
            Engine engine = ctl.Engines[i];
            int status = READ_PORT_UCHAR(engine.Regs + 1);
            if (!engine.Running || (status & SR_DONE) == 0) {
                continue;
            }
            WRITE_PORT_UCHAR(engine.Regs, (byte) 0);
            engine.Position = READ_PORT_ULONG(engine.Regs + 4);
            engine.Running = false;
            done[i] = true;
            claimed = true;
        }
        for (int i = 0; i < ENGINES; i++) {
            if (done[i]) {
                KeInsertQueueDpc(ctl.Engines[i].Dpc, null, null);
            }
        }
        return claimed;
    }

    @Role(KDeferredRoutine.class)
    void EngineDpc(Kdpc Dpc, Object DeferredContext, Object SystemArgument1, Object SystemArgument2) {
        Engine engine = (Engine) DeferredContext;
        Irp irp = engine.Active;
        if (irp == null) {
            return;
        }
        engine.Active = null;
        irp.IoStatus.Status = STATUS_SUCCESS;
        irp.IoStatus.Information = engine.Position;
        IoCompleteRequest(irp, IO_NO_INCREMENT);
    }
}
