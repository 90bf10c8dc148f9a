package dev.dpccheck.analyzer.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.dpccheck.analyzer.Analyzer;
import dev.dpccheck.analyzer.findings.Finding;
import dev.dpccheck.analyzer.findings.Notification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The audit as plain JSON: findings and notifications, in report order, for scripts. */
public final class JsonReport {
    private JsonReport() {
    }

    public static String write(Analyzer.Result result) {
        List<Object> findings = new ArrayList<>();
        for (Finding f : result.findings()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ruleId", f.ruleId());
            m.put("severity", f.severity().level());
            m.put("message", f.message());
            m.put("file", f.location().file());
            m.put("line", f.location().line());
            m.put("column", f.location().column());
            m.put("endColumn", f.location().endColumn());
            m.put("suppressed", f.suppressed());
            List<Object> witness = new ArrayList<>();
            for (Finding.Step s : f.witness()) {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("file", s.location().file());
                w.put("line", s.location().line());
                w.put("column", s.location().column());
                w.put("code", s.message());
                witness.add(w);
            }
            m.put("witness", witness);
            if (f.validation() != null) {
                m.put("validation", f.validation().properties());
            }
            findings.add(m);
        }
        List<Object> notes = new ArrayList<>();
        for (Notification n : result.notifications()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", n.file());
            m.put("line", n.line());
            m.put("message", n.message());
            notes.add(m);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("filesRead", result.filesRead());
        doc.put("filesAnalyzed", result.filesAnalyzed());
        doc.put("findings", findings);
        doc.put("notifications", notes);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc)
                    .replace("\r\n", "\n") + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
