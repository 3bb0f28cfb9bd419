# Shared by bin/jaild and bin/jail (sourced, not run): where this installation is and which Java runs it.
# Both launchers work from any directory and through symlinks (e.g. /usr/local/bin/jail -> .../bin/jail).
JAIL_HOME=$(dirname "$(dirname "$(readlink -f "$0")")")
JAIL_TARGET="$JAIL_HOME/modules/cli/target"
JAIL_NATIVE="$JAIL_TARGET/native-unpacked/com/sun/jna/linux-x86-64"

jail_find_java() {
    if [ -n "$JAIL_JAVA" ] && [ -x "$JAIL_JAVA" ]; then echo "$JAIL_JAVA"; return; fi
    for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/java-25*/bin/java /usr/lib/jvm/*-25-*/bin/java; do
        if [ -x "$j" ]; then echo "$j"; return; fi
    done
    if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then echo "$JAVA_HOME/bin/java"; return; fi
    command -v java
}

JAIL_JAVA_BIN=$(jail_find_java)
if [ -z "$JAIL_JAVA_BIN" ]; then
    echo "$(basename "$0"): no Java 25 found (set JAIL_JAVA to a java binary)" >&2
    exit 1
fi
JAIL_JNA_OPTS="-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu -Djna.boot.library.path=$JAIL_NATIVE -Djna.nounpack=true -Djna.nosys=true"
# Alternative state and log directories (tests, or a second installation): JAIL_RUN_DIR, JAIL_LOG_DIR.
JAIL_DIR_OPTS=""
[ -n "${JAIL_RUN_DIR:-}" ] && JAIL_DIR_OPTS="-Djail.run-dir=$JAIL_RUN_DIR"
[ -n "${JAIL_LOG_DIR:-}" ] && JAIL_DIR_OPTS="$JAIL_DIR_OPTS -Djail.log-dir=$JAIL_LOG_DIR"
