package dev.dpccheck.analyzer.report;

import dev.dpccheck.analyzer.findings.Finding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code partialFingerprints.primaryLocationLineHash} for findings: a hash of the rule id and the
 * text of the finding's line (whitespace collapsed), and the ordinal of that pair among the
 * file's findings. The line number is not part of it, so a fingerprint survives edits elsewhere
 * in the file; two identical lines with the same rule are told apart by the ordinal.
 */
public final class Fingerprints {
    private Fingerprints() {
    }

    /** The fingerprint of every finding, in the order given (which must be the report order). */
    public static Map<Finding, String> of(List<Finding> findings) {
        Map<Finding, String> out = new IdentityHashMap<>();
        Map<String, List<String>> lines = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Finding f : findings) {
            List<String> text = lines.computeIfAbsent(f.location().file(), SourceLines::of);
            int line = f.location().line();
            String source = line - 1 < text.size() ? text.get(line - 1).strip().replaceAll("\\s+", " ") : "";
            String hash = sha256(f.ruleId() + "\u0000" + source).substring(0, 16);
            String key = f.location().file() + "\u0000" + hash;
            int ordinal = seen.merge(key, 1, Integer::sum);
            out.put(f, hash + ":" + ordinal);
        }
        return out;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
