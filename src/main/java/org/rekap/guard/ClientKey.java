package org.rekap.guard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who counts as one client. An IPv4 address is one client; an IPv6 client is its /64, because one subscriber gets a
 * whole /64 and could otherwise take a fresh address (and fresh limits) for every connection.
 */
final class ClientKey {
    private ClientKey() {}

    static String of(String hostAddress) {
        if (hostAddress == null) return "?";
        if (hostAddress.indexOf(':') < 0) return hostAddress;
        try {
            byte[] a = InetAddress.getByName(hostAddress).getAddress();
            if (a.length == 4) return InetAddress.getByAddress(a).getHostAddress(); // IPv4-mapped
            StringBuilder s = new StringBuilder(24);
            for (int i = 0; i < 8; i += 2) s.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff))).append(':');
            return s.append(":/64").toString();
        } catch (UnknownHostException e) {
            return hostAddress; // a literal from the socket always parses; keep the raw text if it somehow does not
        }
    }
}
