package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.dpccheck.analyzer.scan.FileKinds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dpccheck audit} on the inputs users have: each ends with a documented exit code, one
 * clear sentence per problem and no stack trace, in bounded time, and touches no file but its
 * output. Special files are made by the tests ({@code mkfifo}, {@code mknod}); where the machine
 * cannot make one, or where root's rights defeat a permission, the test is skipped, not passed.
 */
class AuditBadInputTest {
    @TempDir
    Path dir;

    /** Runs the command, failing after two minutes: a hang is a failure, not a stuck build. */
    private static Cli audit(String... args) {
        Cli r = assertTimeoutPreemptively(Duration.ofMinutes(2), () -> Cli.run(args));
        assertFalse(r.err().contains("\tat ") || r.out().contains("\tat "), "a stack trace was printed:\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("Error:"), r.err());
        return r;
    }

    private Path write(String path, String text) throws IOException {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** The DPC of {@link Cli#DPC} in package {@code pkg}, with {@code body} before its wait. */
    private static String dpc(String pkg, String body) {
        return String.format(Cli.DPC, "").replace("package t;", "package " + pkg + ";")
                .replace("Object Context) {\n", "Object Context) {\n" + body);
    }

    private static boolean make(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        assumeTrue(make("mkfifo", p.toString()), "mkfifo is not available");
        return p;
    }

    @Test
    void aByteOrderMarkIsSkippedAndTheFileAnalyzed() throws Exception {
        byte[] text = String.format(Cli.DPC, "").getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Files.write(dir.resolve("T.java"), withBom);
        Cli r = audit("audit", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith(dir.resolve("T.java") + ":8:9: error [IrqlTooHigh]"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void deeplyNestedAndLongCodeIsAnalyzedWithoutOverflowingTheStack() throws Exception {
        write("nested/T.java", dpc("nested", "int x = 0;\n" + "if (x > 0) {\n".repeat(850) + "x++;\n" + "}\n".repeat(850)));
        write("chain/T.java", dpc("chain", "int x = 0;\nif (x == 0) { x++; }\n" + IntStream.range(1, 2000)
                .mapToObj(i -> "else if (x == " + i + ") { x++; }\n").collect(Collectors.joining())));
        write("concat/T.java", dpc("concat", "String s = \"a\"" + IntStream.range(0, 3000)
                .mapToObj(i -> " + \"" + i + "\"").collect(Collectors.joining()) + ";\n"));
        Cli r = audit("audit", dir.toString());
        assertEquals(1, r.code(), r.err());
        for (String f : List.of("chain", "concat", "nested")) {
            assertTrue(r.out().contains(dir.resolve(f).resolve("T.java") + ":"), f + " lost its finding:\n" + r.out());
        }
        assertTrue(r.out().contains("3 findings in 3 files analyzed (3 read)"), r.out());
        // 2,000 correlated branches are more than the engines' budget: they say so, and nothing else
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("dpccheck: warning: " + dir.resolve("chain/T.java")
                + ":7: 'DpcForIsr' was analyzed only in part: its paths exceed the ")), r.err());
    }

    @Test
    void codeNestedBeyondTheBoundIsOneNotificationAndTheOtherFilesAreAnalyzed() throws Exception {
        write("deep/T.java", dpc("deep", "String s = \"a\"" + " + \"b\"".repeat(30_000) + ";\n"));
        write("t/T.java", String.format(Cli.DPC, ""));
        Cli r = audit("audit", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith(dir.resolve("t/T.java") + ":8:9: error [IrqlTooHigh]"), r.out());
        assertEquals("dpccheck: warning: " + dir.resolve("deep/T.java") + ": The file is nested too deeply to"
                + " analyze (more than 10000 levels); its findings may be missing.\n", r.err());
    }

    @Test
    void aMethodOverTheEnginesBudgetIsANotificationNamingItAndTheRules() throws Exception {
        // each branch on its own boolean makes a path; 300 of them are more paths than the engines follow
        write("t/T.java", dpc("t", "int x = Irp.hashCode();\n" + IntStream.range(0, 300).mapToObj(i -> "boolean b" + i
                + " = x == " + i + ";\nif (b" + i + ") { IoStartNextPacket(DeviceObject, false); } else { x++; }\n")
                .collect(Collectors.joining())));
        long start = System.nanoTime();
        Cli r = audit("audit", "--format", "sarif", "--rules", "DpcMissingStartNext,IrqlTooHigh,DoubleCompletion",
                dir.toString());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60), "the budget did not bound the time");
        assertEquals(0, r.code(), r.err());
        String irql = "'DpcForIsr' was analyzed only in part: its paths exceed the IRQL analysis' budget; 'IrqlTooHigh'"
                + " may have missed findings in it.";
        String typestate = "'DpcForIsr' was analyzed only in part: its paths exceed the typestate engine's budget;"
                + " 'DoubleCompletion' and 'DpcMissingStartNext' may have missed findings in it.";
        String at = "dpccheck: warning: " + dir.resolve("t/T.java") + ":7: ";
        assertEquals(at + irql + "\n" + at + typestate + "\n", r.err());
        assertEquals(java.util.Set.of(), SarifTest.validate(r.out()));
        com.fasterxml.jackson.databind.JsonNode run = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out())
                .path("runs").path(0);
        assertEquals(0, run.path("results").size(), r.out());
        com.fasterxml.jackson.databind.JsonNode notes = run.path("invocations").path(0).path("toolExecutionNotifications");
        assertEquals(List.of(irql, typestate), List.of(notes.path(0).path("message").path("text").asText(),
                notes.path(1).path("message").path("text").asText()), r.out());
        assertEquals(7, notes.path(0).path("locations").path(0).path("physicalLocation").path("region")
                .path("startLine").asInt(), r.out());
    }

    @Test
    void pathsThatExplodeSevenHelpersDownAreANotificationNamingTheRoutine() throws Exception {
        // the helpers are followed however deep they nest, and one budget bounds the routine with all of them
        StringBuilder helpers = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            helpers.append("void H").append(i).append("(DeviceObject d, Irp irp) { H").append(i + 1)
                    .append("(d, irp); }\n");
        }
        helpers.append("void H7(DeviceObject d, Irp irp) {\nint x = irp.hashCode();\n").append(IntStream.range(0, 300)
                .mapToObj(i -> "boolean b" + i + " = x == " + i + ";\nif (b" + i
                        + ") { IoStartNextPacket(d, false); } else { x++; }\n").collect(Collectors.joining()))
                .append("}\n");
        write("t/T.java", String.format(Cli.DPC, helpers).replace("Object Context) {\n",
                "Object Context) {\nH0(DeviceObject, Irp);\n"));
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("t/T.java"));
        int routine = 1 + IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("void DpcForIsr")).findFirst()
                .orElseThrow();
        Cli r = audit("audit", "--rules", "DpcMissingStartNext", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("dpccheck: warning: " + dir.resolve("t/T.java") + ":" + routine + ": 'DpcForIsr' was analyzed only in part:"
                + " its paths exceed the typestate engine's budget; 'DpcMissingStartNext' may have missed findings"
                + " in it.\n", r.err());
    }

    @Test
    void aMethodOverTheControlFlowGraphBudgetIsANotificationNamingItAndTheRules() throws Exception {
        write("t/T.java", dpc("t", "int x = 0;\n" + "x++;\n".repeat(25_000)));
        Cli r = audit("audit", "--rules", "IrqlTooHigh,DoubleCompletion", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("dpccheck: warning: " + dir.resolve("t/T.java") + ":7: 'DpcForIsr' was analyzed only in part: its"
                + " control-flow graph needs more than 20000 nodes; 'DoubleCompletion' and 'IrqlTooHigh' may have"
                + " missed findings in it.\n", r.err());
    }

    @Test
    void aSourceFileOver16MiBIsANotificationAndNotRead() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path big = dir.resolve("t/Big.java");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength((16L << 20) + 1);
        }
        Cli r = audit("audit", dir.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().endsWith("1 finding in 1 file analyzed (2 read); 1 notification\n"), r.out());
        assertEquals("dpccheck: warning: " + big + ": The file is larger than 16 MiB and was not analyzed.\n", r.err());
    }

    @Test
    void namedPipesDevicesAndSymlinkLoopsAreSkippedWithANotification() throws Exception {
        Path t = write("src/t/T.java", String.format(Cli.DPC, ""));
        Path pipe = fifo("src/t/P.java");
        Path named = fifo("Q.java");
        Files.createSymbolicLink(dir.resolve("src/t/L.java"), dir.resolve("src/t/L.java"));
        Files.createSymbolicLink(dir.resolve("src/t/up"), dir.resolve("src"));
        Path loop = Files.createSymbolicLink(dir.resolve("Loop.java"), dir.resolve("Loop.java"));
        Cli r = audit("audit", dir.resolve("src").toString(), named.toString(), "/dev/zero", loop.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith(t + ":8:9: error [IrqlTooHigh]"), r.out());
        assertTrue(r.out().endsWith("1 finding in 1 file analyzed (1 read); 6 notifications\n"), r.out());
        assertEquals(List.of(
                "dpccheck: warning: /dev/zero: The file is a character device, not a regular file, and was not read.",
                "dpccheck: warning: " + loop + ": The file is a symbolic link loop and was not read.",
                "dpccheck: warning: " + named + ": The file is a named pipe, not a regular file, and was not read.",
                "dpccheck: warning: " + dir.resolve("src/t/L.java") + ": The file is a symbolic link loop and was not read.",
                "dpccheck: warning: " + pipe + ": The file is a named pipe, not a regular file, and was not read.",
                "dpccheck: warning: " + dir.resolve("src/t/up") + ": The directory links back to one that holds it"
                        + " and was not searched again."),
                r.err().lines().collect(Collectors.toList()));
    }

    @Test
    void aNamedPipeAsBaselineIsExitTwoWithOneSentence() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path pipe = fifo("base.sarif");
        Cli r = audit("audit", "--baseline", pipe.toString(), dir.resolve("t").toString());
        assertEquals(2, r.code());
        assertEquals("dpccheck: '" + pipe + "' is not a SARIF log: it is a named pipe, not a regular file.\n", r.err());
    }

    @Test
    void theSameClassInTwoSourceRootsIsANotificationAndTheFirstIsAnalyzed() throws Exception {
        Path a = write("a/t/T.java", String.format(Cli.DPC, ""));
        Path b = write("b/t/T.java", String.format(Cli.DPC, ""));
        Cli r = audit("audit", dir.resolve("a").toString(), dir.resolve("b").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith(a + ":8:9: error [IrqlTooHigh]"), r.out());
        assertTrue(r.out().endsWith("1 finding in 1 file analyzed (2 read); 1 notification\n"), r.out());
        assertEquals("dpccheck: warning: " + b + ": The file declares 't.T', which '" + a + "' declares too, and was"
                + " not analyzed.\n", r.err());
    }

    @Test
    void aClasspathEntryThatDoesNotExistIsANotification() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path missing = dir.resolve("lib/missing.jar");
        Cli r = audit("audit", "--classpath", missing.toString(), dir.resolve("t").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("[IrqlTooHigh]"), r.out());
        assertEquals("dpccheck: warning: The classpath entry '" + missing + "' does not exist and was ignored.\n",
                r.err());
    }

    @Test
    void anUnreadableDirectoryIsANotificationAndTheRestIsAnalyzed() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path locked = write("locked/u/U.java", String.format(Cli.DPC, "")).getParent();
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            assumeTrue(!Files.isReadable(locked), "this user reads directories whatever their permissions (root)");
            Cli r = audit("audit", dir.toString());
            assertEquals(1, r.code(), r.err());
            assertTrue(r.out().startsWith(dir.resolve("t/T.java") + ":8:9:"), r.out());
            assertEquals("dpccheck: warning: " + locked + ": The directory cannot be read (permission denied);"
                    + " the files in it were not analyzed.\n", r.err());
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aPathWithoutJavaFilesIsOneWarning() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        write("docs/README.md", "nothing to see\n");
        Cli r = audit("audit", dir.resolve("empty").toString(), dir.resolve("docs").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("0 findings in 0 files analyzed (0 read); 2 notifications\n", r.out());
        assertEquals("dpccheck: warning: " + dir.resolve("docs") + ": The directory holds no Java files.\n"
                + "dpccheck: warning: " + dir.resolve("empty") + ": The directory holds no Java files.\n", r.err());
    }

    @Test
    void outOfRangeOptionsAreExitTwoWithOneSentence() {
        Cli r = audit("audit", "--jobs", "100000", "../testdata/drivers/uart");
        assertEquals(2, r.code());
        assertEquals("dpccheck: --jobs must be between 0 and 1024, not 100000.\n", r.err());
        r = audit("audit", "--jobs", "-1", "../testdata/drivers/uart");
        assertEquals(2, r.code());
        assertEquals("dpccheck: --jobs must be between 0 and 1024, not -1.\n", r.err());
    }

    /** A command that fails inside the tool, as a bug would. */
    @CommandLine.Command(name = "fail")
    static final class Failing implements Callable<Integer> {
        private final Throwable failure;

        Failing(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Error e) {
                throw e;
            }
            throw (Exception) failure;
        }
    }

    @Test
    void anErrorOrExceptionOfTheToolIsExitThreeWithOneSentenceAndNoTrace() {
        for (Throwable t : List.of(new StackOverflowError(), new OutOfMemoryError("Java heap space"),
                new IllegalStateException("broken\ninvariant"))) {
            CommandLine cl = Main.commandLine();
            cl.addSubcommand("fail", new Failing(t));
            Cli r = Cli.run(cl, "fail");
            assertEquals(3, r.code(), t.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("dpccheck: internal error: " + t.getClass().getName()), r.err());
            assertTrue(r.err().endsWith(" (set DPCCHECK_VERBOSE=1 for the stack trace).\n"), r.err());
        }
        System.setProperty("dpccheck.verbose", "true");
        try {
            CommandLine cl = Main.commandLine();
            cl.addSubcommand("fail", new Failing(new StackOverflowError()));
            Cli r = Cli.run(cl, "fail");
            assertEquals(3, r.code());
            assertTrue(r.err().contains("\tat dev.dpccheck.cli.AuditBadInputTest"), r.err());
        } finally {
            System.clearProperty("dpccheck.verbose");
        }
    }

    @Test
    void outputOntoANamedPipeIsWrittenIntoThePipe() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path pipe = fifo("report.pipe");
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(pipe)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Cli r = audit("audit", "--format", "json", "-o", pipe.toString(), dir.resolve("t").toString());
        assertEquals(1, r.code(), r.err());
        String report = new String(read.get(1, TimeUnit.MINUTES), StandardCharsets.UTF_8);
        assertTrue(report.contains("\"IrqlTooHigh\""), report);
        assertEquals("a named pipe", FileKinds.special(pipe), "the pipe was replaced");
        assertEquals(List.of("report.pipe", "t"), listing(dir));
    }

    @Test
    void outputOntoACharacterDeviceIsWrittenIntoTheDevice() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path devNull = dir.resolve("null");
        assumeTrue(make("mknod", devNull.toString(), "c", "1", "3"), "this user cannot make a device node");
        Cli r = audit("audit", "-o", devNull.toString(), dir.resolve("t").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("", r.err());
        assertEquals("a character device", FileKinds.special(devNull), "the device node was replaced");
        assertEquals(List.of("null", "t"), listing(dir));
    }

    @Test
    void outputOntoASymlinkIsWrittenIntoItsTargetAndReplacesNeither() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path target = write("reports/real.txt", "an older and longer report than the new one will be\n".repeat(100));
        Object inode = Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("reports/real.txt"));
        Cli r = audit("audit", "-o", link.toString(), dir.resolve("t").toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(Files.isSymbolicLink(link), "the link was replaced");
        assertEquals(inode, Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "the link's target was replaced");
        assertTrue(Files.readString(target).startsWith(dir.resolve("t/T.java") + ":8:9: error [IrqlTooHigh]"),
                Files.readString(target));
        assertFalse(Files.readString(target).contains("older"), "the old report's tail is left");
        assertEquals(List.of("real.txt"), listing(dir.resolve("reports")));
        assertEquals(List.of("link.txt", "reports", "t"), listing(dir));
    }

    @Test
    void aReadOnlyOutputDirectoryIsOneSentenceNamingIt() throws Exception {
        write("t/T.java", String.format(Cli.DPC, ""));
        Path ro = Files.createDirectories(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeTrue(!Files.isWritable(ro), "this user writes in read-only directories (root)");
            Cli r = audit("audit", "-o", ro.resolve("out.txt").toString(), dir.resolve("t").toString());
            assertEquals(2, r.code());
            assertEquals("dpccheck: cannot write '" + ro.resolve("out.txt") + "': the directory '" + ro
                    + "' is not writable (permission denied).\n", r.err());
            assertEquals(List.of(), listing(ro));
        } finally {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private static List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
