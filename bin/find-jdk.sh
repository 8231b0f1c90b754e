# Sourced by ./rekap and ./run-tests: sets REKAP_JAVA_HOME to a JDK >= 21 (and REKAP_JAVA_MAJOR to its version).
# Order: $JAVA_HOME, then the java on PATH, then the newest JDK under /usr/lib/jvm.
rekap_java_major() {
  # Prints the feature version of the java binary given, or nothing.
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

rekap_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(rekap_java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      REKAP_JAVA_HOME="$candidate"
      REKAP_JAVA_MAJOR="$major"
      return 0
    fi
  done
  echo "rekap: no JDK 21 or newer found (looked at \$JAVA_HOME, java on PATH, /usr/lib/jvm/*)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 25) or set JAVA_HOME to it." >&2
  return 1
}
