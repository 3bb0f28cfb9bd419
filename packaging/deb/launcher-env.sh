# The package's launchers start with this (the build inlines it: an installed launcher sources nothing).
# Everything that runs has a fixed path under @JAIL_LIB@; nothing in the caller's environment may choose the
# JVM, its options, its class path or the libraries the dynamic loader adds.
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CLASSPATH JAVA_HOME
set -f
for v in $(/usr/bin/env); do
    n=${v%%=*}
    case $n in LD_*[!A-Za-z0-9_]*) ;; LD_*) unset "$n" ;; esac
done
set +f
J=@JAIL_LIB@
JNA="-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu -Djna.boot.library.path=$J/native -Djna.nounpack=true -Djna.nosys=true"
