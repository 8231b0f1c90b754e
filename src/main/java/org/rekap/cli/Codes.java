package org.rekap.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rekap.ledger.Role;
import org.rekap.officer.EnrolmentCodes;
import org.rekap.store.ElectionStore;
import org.rekap.store.EnrolmentCode;

/** Issues enrolment codes into a store and reads and writes the codes CSV ({@code role,scope,name,code,expires_at}). */
final class Codes {
    static final String HEADER = "role,scope,name,code,expires_at";

    private Codes() {}

    /** Issues one code per scope; returns scope -> code, in the order given. */
    static Map<String, String> issue(ElectionStore store, Role role, List<String> scopes, Instant expires) {
        Map<String, String> out = new LinkedHashMap<>();
        List<EnrolmentCode> stored = new ArrayList<>(scopes.size());
        for (String scope : scopes) {
            String code = EnrolmentCodes.generate();
            out.put(scope, code);
            stored.add(new EnrolmentCode(EnrolmentCodes.hash(code), role, scope, expires));
        }
        store.issueCodes(stored);
        return out;
    }

    static void write(Writer w, Role role, Map<String, String> codes, Map<String, String> names, Instant expires) throws IOException {
        w.write(HEADER + "\n");
        for (var e : codes.entrySet())
            w.write(role.id() + "," + e.getKey() + "," + names.getOrDefault(e.getKey(), "").replace(",", " ") + ","
                    + e.getValue() + "," + expires + "\n");
    }

    /** Officer codes by TPS from a codes CSV. */
    static Map<String, String> readOfficerCodes(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (!HEADER.equals(header)) throw new IllegalArgumentException(file + ":1: the header must be '" + HEADER + "'");
            String line;
            int n = 1;
            while ((line = in.readLine()) != null) {
                n++;
                String[] f = line.split(",", -1);
                if (f.length != 5) throw new IllegalArgumentException(file + ":" + n + ": expected 5 fields, found " + f.length);
                if (f[0].equals(Role.OFFICER.id())) out.put(f[1], f[3]);
            }
        }
        return out;
    }
}
