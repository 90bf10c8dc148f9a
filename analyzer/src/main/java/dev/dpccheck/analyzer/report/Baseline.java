package dev.dpccheck.analyzer.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A baseline: the findings of an earlier SARIF log that are accepted for now. A finding is in
 * the baseline when a result there has the same rule id, file URI and primaryLocationLineHash.
 */
public final class Baseline {
    private final Set<String> keys;

    private Baseline(Set<String> keys) {
        this.keys = keys;
    }

    /** Reads a SARIF log; an unreadable or malformed file is an IOException with one sentence. */
    public static Baseline read(Path sarif) throws IOException {
        String kind = dev.dpccheck.analyzer.scan.FileKinds.special(sarif);
        if (kind != null) {
            // a named pipe would block the run, a device would never end
            throw new IOException("'" + sarif + "' is not a SARIF log: it is " + kind + ", not a regular file");
        }
        JsonNode log;
        try {
            log = new ObjectMapper().readTree(sarif.toFile());
        } catch (IOException e) {
            throw new IOException("'" + sarif + "' is not a SARIF log: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (log == null || !log.path("runs").isArray()) {
            throw new IOException("'" + sarif + "' is not a SARIF log: it has no runs");
        }
        Set<String> keys = new HashSet<>();
        for (JsonNode run : log.path("runs")) {
            for (JsonNode r : run.path("results")) {
                String uri = r.path("locations").path(0).path("physicalLocation").path("artifactLocation").path("uri")
                        .asText();
                String hash = r.path("partialFingerprints").path("primaryLocationLineHash").asText();
                keys.add(r.path("ruleId").asText() + "\u0000" + uri + "\u0000" + hash);
            }
        }
        return new Baseline(keys);
    }

    /** The result without the findings this baseline holds, and those it hid. */
    public Filtered filter(Analyzer.Result result, Path root) {
        Map<Finding, String> fingerprints = Fingerprints.of(result.findings());
        List<Finding> kept = new ArrayList<>();
        List<Finding> hidden = new ArrayList<>();
        for (Finding f : result.findings()) {
            String key = f.ruleId() + "\u0000" + SarifReport.relativeUri(root, f.location().file()) + "\u0000"
                    + fingerprints.get(f);
            if (keys.contains(key)) {
                hidden.add(f);
            } else {
                kept.add(f);
            }
        }
        return new Filtered(new Analyzer.Result(kept, result.notifications(), result.filesRead(),
                result.filesAnalyzed()), hidden);
    }

    /** A result after the baseline, and the findings it hid (in the result's order). */
    public record Filtered(Analyzer.Result result, List<Finding> baselined) {
        public Filtered {
            baselined = List.copyOf(baselined);
        }

        /** How many findings the baseline hid. */
        public int hidden() {
            return baselined.size();
        }
    }
}
