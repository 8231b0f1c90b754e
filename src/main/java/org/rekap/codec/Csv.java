package org.rekap.codec;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 fields of one line: commas separate, double quotes quote, and a doubled quote is a literal one. */
final class Csv {
    private Csv() {}

    /** @throws IllegalArgumentException when a quote is not closed */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>(6);
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            field.setLength(0);
            if (i < line.length() && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= line.length()) throw new IllegalArgumentException("a quoted field is not closed");
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < line.length() && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else break;
                    } else field.append(c);
                }
                if (i < line.length() && line.charAt(i) != ',')
                    throw new IllegalArgumentException("text after a closing quote");
            } else {
                int comma = line.indexOf(',', i);
                int end = comma < 0 ? line.length() : comma;
                field.append(line, i, end);
                if (field.indexOf("\"") >= 0) throw new IllegalArgumentException("a quote inside an unquoted field");
                i = end;
            }
            out.add(field.toString());
            if (i >= line.length()) return out;
            i++; // the comma
            if (i == line.length()) {
                out.add("");
                return out;
            }
        }
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
