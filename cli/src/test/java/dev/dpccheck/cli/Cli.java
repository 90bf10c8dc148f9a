package dev.dpccheck.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the command line in this JVM: its exit code and what it printed. */
record Cli(int code, String out, String err) {
    /** A driver whose DPC waits at DISPATCH_LEVEL (an IrqlTooHigh finding on line 8), in package {@code t}. */
    static final String DPC = "package t;\nimport dev.dpccheck.wdm.*;\nimport static dev.dpccheck.wdm.Wdm.*;\n"
            + "final class T {\n"
            + "    %s\n"
            + "    @Role(IoDpcRoutine.class)\n"
            + "    void DpcForIsr(Kdpc Dpc, DeviceObject DeviceObject, Irp Irp, Object Context) {\n"
            + "        KeWaitForSingleObject(new KEvent(), Executive, KernelMode, false, null);\n"
            + "    }\n"
            + "}\n";

    static Cli run(String... args) {
        return run(Main.commandLine(), args);
    }

    static Cli run(CommandLine cli, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
