# Sourced by ./mvnw, ./salus and .ci/run: makes JAVA_HOME point at a JDK 21 or newer.
# Order: JAVA_HOME, then the default `java`, then the JDKs installed beside the default one
# (and the usual JDK folders). Stops with a clear message when none is found.

salus_java_major() {
  # Prints the feature version of the JDK at $1 (a JDK home), or nothing.
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
  elif [ -x "$1/bin/java" ]; then
    "$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n 1
  fi
}

salus_find_jdk() {
  local want=21 candidate major best="" best_major=0 default_home=""
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(salus_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then return 0; fi
  fi
  if command -v java >/dev/null 2>&1; then
    default_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    major=$(salus_java_major "$default_home")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] && [ -x "$default_home/bin/javac" ]; then
      export JAVA_HOME="$default_home"; return 0
    fi
  fi
  local beside=/nonexistent
  [ -n "$default_home" ] && beside=$(dirname "$default_home")
  for candidate in "$beside"/* /usr/lib/jvm/* /opt/java/* \
      /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(salus_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$want" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$best" ]; then export JAVA_HOME="$best"; return 0; fi
  echo "salus: needs a JDK $want or newer; none found (checked JAVA_HOME, the default java," \
       "and the JDKs beside it). Install one, or set JAVA_HOME to it." >&2
  return 1
}

salus_find_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
