package jail.cli.sshd;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The settings in an effective sshd configuration that let a user act on the host instead of in its container.
 * sshd runs a jail user's login shell (bin/jail), which enters the container; everything listed here sshd does
 * itself, on the host, as that user, outside the container, its limits and its audit log.
 */
public final class SshdExposures {
    private SshdExposures() {}

    /** Variables the loader reads while starting the login shell, before bin/jail can drop any of them. */
    static final List<String> LOADER_VARIABLES = List.of("LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GCONV_PATH");

    public static List<Exposure> of(SshdSettings s) {
        List<Exposure> found = new ArrayList<>();
        if (!s.is("disableforwarding", "yes")) forwarding(s, found);
        if (!s.is("permittunnel", "no")) {
            found.add(new Exposure("permittunnel " + s.get("permittunnel"), "ssh -w: tun/tap devices on the host"));
        }
        if (s.is("permituserrc", "yes")) {
            found.add(new Exposure("permituserrc yes", "~/.ssh/rc of the host home is run at each login, from a shell on the host"));
        }
        if (!s.is("permituserenvironment", "no")) {
            found.add(new Exposure("permituserenvironment " + s.get("permituserenvironment"),
                    "~/.ssh/environment sets LD_PRELOAD and the like for the login shell on the host"));
        }
        for (String pattern : s.all("acceptenv")) {
            LOADER_VARIABLES.stream().filter(name -> matches(pattern, name)).findFirst().ifPresent(name -> found.add(
                    new Exposure("acceptenv " + pattern, "the client sets " + name + " for the login shell on the host")));
        }
        for (String subsystem : s.all("subsystem")) {
            String[] words = subsystem.split("\\s+");
            if (words.length > 1 && words[1].equals("internal-sftp")) {
                found.add(new Exposure("subsystem " + subsystem, "sshd serves sftp itself, on the host's files, "
                        + "not through the login shell (use /usr/lib/openssh/sftp-server)"));
            }
        }
        if (s.get("forcecommand").startsWith("internal-sftp")) {
            found.add(new Exposure("forcecommand " + s.get("forcecommand"), "sshd serves sftp itself, on the host's files"));
        }
        return found;
    }

    private static void forwarding(SshdSettings s, List<Exposure> found) {
        String tcp = s.get("allowtcpforwarding");
        if (!tcp.equalsIgnoreCase("no")) {
            found.add(new Exposure("allowtcpforwarding " + tcp,
                    "ssh -L, -D and -R: sshd connects to and listens on host ports for the user"));
            boolean local = !tcp.equalsIgnoreCase("remote");
            boolean remote = !tcp.equalsIgnoreCase("local");
            if (local && !s.is("permitopen", "none")) {
                found.add(new Exposure("permitopen " + s.get("permitopen"), "ssh -L and -D may reach these host addresses"));
            }
            if (remote && !s.is("permitlisten", "none")) {
                found.add(new Exposure("permitlisten " + s.get("permitlisten"), "ssh -R may listen on these host ports"));
            }
            if (remote && !s.is("gatewayports", "no")) {
                found.add(new Exposure("gatewayports " + s.get("gatewayports"), "ssh -R listens on the host's public addresses"));
            }
        }
        if (!s.is("allowstreamlocalforwarding", "no")) {
            found.add(new Exposure("allowstreamlocalforwarding " + s.get("allowstreamlocalforwarding"),
                    "ssh -L/-R with unix sockets: the host's sockets (/run/dbus/system_bus_socket) and socket files made on the host"));
        }
        if (s.is("x11forwarding", "yes")) {
            found.add(new Exposure("x11forwarding yes", "ssh -X: an X11 listener on the host, xauth run on the host"));
        }
    }

    /** sshd's pattern syntax for AcceptEnv: '*' and '?' wildcards. */
    static boolean matches(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return name.matches(regex.toString());
    }
}
