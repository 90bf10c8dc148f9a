package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.DriverTerminatedSimulation;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;

/**
 * The main class of the child JVM in which {@code dpccheck simulate} runs a driver. It reads its
 * request from standard input, compiles, checks and loads the driver, runs the schedules, and
 * reports each schedule's result on a channel (its original standard output, which driver code
 * cannot name) as frames carrying the run's nonce. It owns nothing of the verdict: the parent
 * reads the frames and decides. When the process ends before its last frame, a shutdown hook
 * says where the driver stood.
 */
public final class SimulationChild {
    private static PrintStream channel;
    private static String nonce;
    private static volatile Kernel running;
    private static volatile boolean done;

    private SimulationChild() {
    }

    public static void main(String[] args) {
        channel = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        // whatever else writes to standard output goes where the parent only keeps a tail for diagnosis
        System.setOut(System.err);
        Map<String, String> request = new HashMap<>();
        try {
            readRequest(System.in, request);
            System.setIn(InputStream.nullInputStream());
        } catch (Exception e) {
            System.err.println("dpccheck child: bad request: " + e);
            Runtime.getRuntime().halt(3);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(SimulationChild::endedEarly, "dpccheck-child-exit"));
        int code = 0;
        try {
            run(request);
        } catch (OutOfMemoryError e) {
            send("error", "the simulation ran out of memory outside driver code (the child JVM's heap is "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB; raise it with --memory)");
            code = 3;
        } catch (Throwable t) {
            send("error", "the simulation failed: " + t);
            code = 3;
        }
        done = true;
        channel.flush();
        // daemon workers of a stuck schedule must not keep the process alive, nor run hooks that wait on them
        Runtime.getRuntime().halt(code);
    }

    private static void readRequest(InputStream in, Map<String, String> request) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        nonce = r.readLine();
        if (nonce == null || nonce.isEmpty()) {
            throw new IllegalArgumentException("no nonce");
        }
        String line;
        while ((line = r.readLine()) != null) {
            Channel.Frame f = Channel.decode(nonce, line);
            if (f == null) {
                throw new IllegalArgumentException("a line without the nonce");
            }
            if (f.type().equals("go")) {
                return;
            }
            request.put(f.type(), f.field(0));
        }
        throw new IllegalArgumentException("the request ended early");
    }

    private static void run(Map<String, String> q) throws Exception {
        Path root = Paths.get(q.get("path"));
        boolean verify = !"false".equals(q.get("verify"));
        DriverImage image;
        Goal goal = q.get("goal") == null ? null : Goal.parse(q.get("goal"));
        try {
            image = DriverImage.compile(root, q.get("classpath"), verify ? n -> false : DriverImage.TRUST_ALL, goal);
        } catch (DriverImage.NoDriverException e) {
            send("no-driver", e.getMessage());
            return;
        } catch (DriverImage.CompileException e) {
            send("compile-error", e.getMessage());
            return;
        } catch (DriverImage.RefusedException e) {
            send("refused", e.getMessage(), e.count());
            return;
        } catch (java.io.IOException e) {
            send("unreadable", e.getMessage());
            return;
        }
        send("driver", image.name());
        if (q.get("replay") != null) {
            replay(image, Paths.get(q.get("replay")));
            return;
        }
        KernelConfig config = KernelConfig.defaults().withCpus(Integer.parseInt(q.get("cpus")))
                .withFaultRate(Double.parseDouble(q.get("faults")))
                .withWorkload(Integer.parseInt(q.get("threads")), Integer.parseInt(q.get("requests")))
                .withWallClockMillis(Long.parseLong(q.get("scheduleMillis")))
                .withSharedMemoryPoints(!"false".equals(q.get("points")));
        Simulation.Report report = Simulation.run(image, config, Exploration.of(q.get("strategy")),
                Integer.parseInt(q.get("schedules")), Long.parseLong(q.get("seed")), Long.parseLong(q.get("budget")),
                new Simulation.Listener() {
                    @Override
                    public void starting(Kernel kernel, long seed) {
                        running = kernel;
                        send("begin", seed);
                    }

                    @Override
                    public void finished(ScheduleResult r) {
                        for (Violation v : r.violations()) {
                            sendViolation("violation", v);
                        }
                        send("end", r.seed(), r.irpsIssued(), r.irpsCompleted(), r.bytesVerified(), r.steps(),
                                r.virtualMicros(), r.choices(), r.choiceDigest());
                    }
                }, "true".equals(q.get("trace")), q.get("traceEvery") == null ? null : Paths.get(q.get("traceEvery")),
                q.get("traceViolations") == null ? null : Paths.get(q.get("traceViolations")), goal);
        running = null;
        if (report.ended() != null) {
            send("ended", report.ended());
        }
        for (DriverImage.Coverage c : report.coverage()) {
            send("method", c.file(), c.method(), c.firstLine(), c.lastLine(), c.entered());
        }
        for (DriverImage.LineCoverage c : report.lines()) {
            send("line", c.file(), c.line(), c.schedules(), c.hits());
        }
        if (report.trace() != null) {
            for (String line : report.trace().split("\n")) {
                send("trace-line", line);
            }
        }
        if (report.stopped() != null) {
            send("stopped", report.stopped());
        } else {
            send("done");
        }
    }

    /** Replays a trace: the run's violations as a schedule's, its interleaving line by line, then the verdict. */
    private static void replay(DriverImage image, Path traceFile) throws Exception {
        Trace.Recorded t = Trace.read(traceFile);
        send("begin", t.header().seed());
        Replay.Result r = Replay.run(image, t);
        for (Violation v : r.violations()) {
            sendViolation("violation", v);
        }
        send("end", t.header().seed(), 0, 0, 0, 0, 0, t.choices().size(), 0);
        for (String line : r.interleaving().split("\n")) {
            send("replay-line", line);
        }
        send("replayed", r.reproduced(), r.divergence(), r.sourceChanged());
        send("done");
    }

    /** Shutdown hook: driver code ended the process (System.exit) before the run's last frame. */
    private static void endedEarly() {
        if (done) {
            return;
        }
        Kernel k = running;
        if (k != null) {
            sendViolation("terminated", k.violationWhereRunning(DriverTerminatedSimulation.ID,
                    DriverTerminatedSimulation.processEnded()));
        }
        channel.flush();
    }

    private static void sendViolation(String type, Violation v) {
        send(type, v.rule(), v.message(), v.file(), v.line(), v.routine(), v.context(), v.time(), v.step());
    }

    private static synchronized void send(String type, Object... fields) {
        channel.println(Channel.encode(nonce, type, fields));
        channel.flush();
    }
}
