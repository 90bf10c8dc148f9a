package dev.dpccheck.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Generates a benchmark project: about a fifth of its lines are drivers (the reference drivers of
 * testdata/drivers, each copy in its own package), the rest ordinary application code (services,
 * value classes, parsers with loops, switches, collections and exceptions). Seeded, so the same
 * arguments give the same corpus.
 *
 * <p>Usage: {@code CorpusGenerator TESTDATA_DRIVERS OUT_DIR LINES [SEED]}
 */
public final class CorpusGenerator {
    private final Random random;
    private final Path out;
    private long lines;

    private CorpusGenerator(Path out, long seed) {
        this.out = out;
        this.random = new Random(seed);
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CorpusGenerator TESTDATA_DRIVERS OUT_DIR LINES [SEED]");
            System.exit(2);
        }
        Path drivers = Paths.get(args[0]);
        Path out = Paths.get(args[1]);
        long target = Long.parseLong(args[2]);
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        CorpusGenerator g = new CorpusGenerator(out, seed);
        List<List<Path>> templates = new ArrayList<>();
        for (String name : List.of("dmadisk", "uart")) {
            try (Stream<Path> s = Files.list(drivers.resolve(name))) {
                templates.add(s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList()));
            }
        }
        long driverLines = 0;
        int copy = 0;
        int app = 0;
        while (g.lines < target) {
            if (driverLines * 5 < g.lines) {
                driverLines += g.driver(templates.get(copy % templates.size()), copy);
                copy++;
            } else {
                g.application(app++);
            }
        }
        System.out.printf("%d lines in %s: %d driver lines (%d driver copies), %d application classes%n", g.lines, out,
                driverLines, copy, app);
    }

    private long driver(List<Path> template, int copy) throws IOException {
        long n = 0;
        for (Path f : template) {
            String text = Files.readString(f);
            String pkg = text.substring(text.indexOf("package ") + 8, text.indexOf(';'));
            String newPkg = "gen.drivers.d" + copy;
            text = text.replace("package " + pkg + ";", "package " + newPkg + ";");
            n += write(newPkg, f.getFileName().toString(), text);
        }
        return n;
    }

    private static final String[] NOUNS = {"Order", "Invoice", "Customer", "Shipment", "Ledger", "Account", "Route",
        "Sensor", "Reading", "Batch", "Ticket", "Policy", "Quote", "Asset", "Report"};

    private void application(int index) throws IOException {
        String noun = NOUNS[random.nextInt(NOUNS.length)];
        String pkg = "gen.app.m" + (index / 40);
        String name = noun + "Service" + index;
        StringBuilder sb = new StringBuilder();
        sb.append("package ").append(pkg).append(";\n\n");
        sb.append("import java.util.ArrayList;\nimport java.util.HashMap;\nimport java.util.List;\nimport java.util.Map;\n"
                + "import java.util.Objects;\n\n");
        sb.append("/** Application code around the drivers: ").append(noun.toLowerCase()).append(" handling. */\n");
        sb.append("public final class ").append(name).append(" {\n");
        int fields = 3 + random.nextInt(6);
        for (int f = 0; f < fields; f++) {
            sb.append("    private ").append(f % 3 == 0 ? "int" : f % 3 == 1 ? "String" : "long").append(" field").append(f)
                    .append(";\n");
        }
        sb.append("    private final Map<String, List<Integer>> index = new HashMap<>();\n\n");
        int methods = 4 + random.nextInt(8);
        for (int m = 0; m < methods; m++) {
            method(sb, m);
        }
        sb.append("    @Override\n    public String toString() {\n        return \"").append(name)
                .append("[\" + field0 + \"]\";\n    }\n");
        sb.append("}\n");
        write(pkg, name + ".java", sb.toString());
    }

    private void method(StringBuilder sb, int m) {
        switch (random.nextInt(4)) {
            case 0:
                sb.append("    public int sum").append(m).append("(List<Integer> values) {\n");
                sb.append("        int total = 0;\n        for (int i = 0; i < values.size(); i++) {\n");
                sb.append("            int v = values.get(i);\n            if (v < 0) {\n                continue;\n"
                        + "            }\n            total += v * ").append(1 + random.nextInt(9)).append(";\n");
                sb.append("            if (total > ").append(1000 + random.nextInt(100000)).append(") {\n"
                        + "                break;\n            }\n        }\n        field0 = total;\n"
                        + "        return total;\n    }\n\n");
                break;
            case 1:
                sb.append("    public String classify").append(m).append("(int code) {\n");
                sb.append("        switch (code % 5) {\n");
                for (int c = 0; c < 4; c++) {
                    sb.append("            case ").append(c).append(":\n                return \"kind-").append(c)
                            .append("-\" + field1;\n");
                }
                sb.append("            default:\n                return Objects.toString(field1, \"none\");\n"
                        + "        }\n    }\n\n");
                break;
            case 2:
                sb.append("    public List<Integer> parse").append(m).append("(String text) {\n");
                sb.append("        List<Integer> out = new ArrayList<>();\n        for (String part : text.split(\",\")) {\n"
                        + "            try {\n                out.add(Integer.parseInt(part.trim()));\n"
                        + "            } catch (NumberFormatException e) {\n                field2++;\n"
                        + "            }\n        }\n        index.put(text, out);\n        return out;\n    }\n\n");
                break;
            default:
                sb.append("    public long window").append(m).append("(long[] samples, int width) {\n");
                sb.append("        long best = Long.MIN_VALUE;\n        for (int i = 0; i + width <= samples.length; i++) {\n"
                        + "            long s = 0;\n            for (int j = i; j < i + width; j++) {\n"
                        + "                s += samples[j];\n            }\n            best = Math.max(best, s);\n"
                        + "        }\n        return best == Long.MIN_VALUE ? 0 : best;\n    }\n\n");
                break;
        }
    }

    private long write(String pkg, String file, String text) throws IOException {
        Path dir = out.resolve(pkg.replace('.', '/'));
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), text);
        long n = text.lines().count();
        lines += n;
        return n;
    }
}
