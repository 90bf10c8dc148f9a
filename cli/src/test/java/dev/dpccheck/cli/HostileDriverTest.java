package dev.dpccheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * {@code dpccheck simulate} on the hostile-driver corpus ({@code testdata/hostile}): drivers that
 * try to end, fool or escape the tool. A driver with {@code // expect: refused} markers must be
 * refused at load time, one {@code file:line: error:} diagnostic per marked line and no other,
 * exit 2, nothing run; any other driver must run to a verdict with exactly the marked
 * violations, exit 1. No case may touch a file outside the tool's output.
 */
class HostileDriverTest {
    private static final Path HOSTILE = Paths.get("..", "testdata", "hostile");
    private static final Pattern EXPECT = Pattern.compile("//\\s*expect:\\s*([A-Za-z, ]+)");
    private static final Pattern REFUSAL = Pattern.compile("^(\\S+\\.java):(\\d+): error: .+\\.$");
    private static final Pattern VIOLATION = Pattern.compile("^(\\S+\\.java):(\\d+): violation \\[(\\w+)] ");
    /** The file the write-file-and-socket driver would write, were it run. */
    private static final Path WRITTEN = Paths.get("/tmp/dpccheck-hostile-written");

    @TestFactory
    @Timeout(600)
    Stream<DynamicTest> everyHostileDriverEndsInItsDocumentedOutcome() throws IOException {
        List<Path> drivers;
        try (Stream<Path> s = Files.list(HOSTILE)) {
            drivers = s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        }
        assertTrue(drivers.size() >= 14, drivers.toString());
        return drivers.stream().map(d -> DynamicTest.dynamicTest(d.getFileName().toString(), () -> check(d)));
    }

    private static void check(Path driver) throws IOException {
        Files.deleteIfExists(WRITTEN);
        Set<String> refused = new TreeSet<>();
        Set<String> violations = new TreeSet<>();
        try (Stream<Path> s = Files.walk(driver)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList())) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    Matcher m = EXPECT.matcher(lines.get(i));
                    if (m.find()) {
                        for (String what : m.group(1).split(",")) {
                            String w = what.trim();
                            (w.equals("refused") ? refused : violations).add(f + ":" + (i + 1)
                                    + (w.equals("refused") ? "" : ":" + w));
                        }
                    }
                }
            }
        }
        assertTrue(refused.isEmpty() != violations.isEmpty(), driver + " needs either refused or violation markers");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("simulate", "--schedules", "2", "--schedule-timeout", "3s", "--timeout", "120s",
                "--memory", "128", driver.toString());
        String report = "exit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        if (!refused.isEmpty()) {
            assertEquals(2, code, report);
            assertEquals("", out.toString(), report);
            Set<String> actual = new TreeSet<>();
            List<String> errLines = err.toString().lines().collect(Collectors.toList());
            for (String l : errLines.subList(0, errLines.size() - 1)) {
                Matcher m = REFUSAL.matcher(l);
                assertTrue(m.matches(), "not one sentence at file:line: " + l);
                actual.add(m.group(1) + ":" + m.group(2));
            }
            assertEquals(refused, actual, report);
            assertTrue(errLines.get(errLines.size() - 1).endsWith("it was not run."), report);
        } else {
            assertEquals(1, code, report);
            assertEquals("", err.toString(), report);
            Set<String> actual = new TreeSet<>();
            for (String l : out.toString().lines().collect(Collectors.toList())) {
                Matcher m = VIOLATION.matcher(l);
                if (m.find()) {
                    actual.add(m.group(1) + ":" + m.group(2) + ":" + m.group(3));
                }
            }
            assertEquals(violations, actual, report);
        }
        assertFalse(Files.exists(WRITTEN), "a hostile driver wrote " + WRITTEN);
    }
}
