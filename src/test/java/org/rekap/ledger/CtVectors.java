package org.rekap.ledger;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Published Certificate Transparency test data (facts, hard-coded as found).
 *
 * <p>The 8 reference leaves, their roots and proofs: github.com/transparency-dev/merkle, {@code proof/verify_test.go}
 * (the vectors of the original certificate-transparency C++ {@code merkle_tree_test.cc}). There, inclusion vectors
 * number leaves from 1 and roots[i] is the root of the first i+1 leaves.
 *
 * <p>The Argon 2020 data: golang.org/x/mod, {@code sumdb/tlog/testdata/argon2020/*.json} and {@code ct_test.go}: real
 * responses of Google's Argon 2020 CT log (get-sth, get-entries?start=10000&end=10000, get-proof-by-hash, and
 * get-sth-consistency?first=3654490).
 */
final class CtVectors {
    private CtVectors() {}

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static List<byte[]> hexes(String... s) {
        return Arrays.stream(s).map(CtVectors::hex).toList();
    }

    static List<byte[]> b64s(String... s) {
        return Arrays.stream(s).map(x -> Base64.getDecoder().decode(x)).toList();
    }

    static final List<byte[]> LEAVES = hexes("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f");

    /** ROOTS.get(n - 1) is the root of the first n leaves. */
    static final List<byte[]> ROOTS = hexes(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    record Inclusion(long index, long size, List<byte[]> proof) {}

    record Consistency(long oldSize, long newSize, List<byte[]> proof) {}

    /** With 0-based leaf indexes (the source's 1, 6, 3, 2 minus one). */
    static final List<Inclusion> INCLUSIONS = List.of(
            new Inclusion(0, 8, hexes(
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new Inclusion(5, 8, hexes(
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new Inclusion(2, 3, hexes("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")),
            new Inclusion(1, 5, hexes(
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")));

    static final List<Consistency> CONSISTENCIES = List.of(
            new Consistency(1, 1, List.of()),
            new Consistency(1, 8, hexes(
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")),
            new Consistency(6, 8, hexes(
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")),
            new Consistency(2, 5, hexes(
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")),
            new Consistency(6, 7, hexes(
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")));

    // Argon 2020 (sth.json): the tree head.
    static final long ARGON_SIZE = 961984013L;
    static final byte[] ARGON_ROOT = Base64.getDecoder().decode("dwlueapdd7LaOEnX2W2Wp9v2XE+KzejHRQGHwEx0oaM=");

    // entries.json: leaf_input of entry 10000 (a MerkleTreeLeaf with a certificate).
    static final byte[] ARGON_LEAF_10000 = Base64.getDecoder().decode(
            "AAAAAAFelPhqUwAAAAViMIIFXjCCBEagAwIBAgIRAOodHzZdqWIFzYyl/SovhCMwDQYJKoZIhvcNAQELBQAwgZAxCzAJBgNVBAYTAkdC"
            + "MRswGQYDVQQIExJHcmVhdGVyIE1hbmNoZXN0ZXIxEDAOBgNVBAcTB1NhbGZvcmQxGjAYBgNVBAoTEUNPTU9ETyBDQSBMaW1pdGVkMTYw"
            + "NAYDVQQDEy1DT01PRE8gUlNBIERvbWFpbiBWYWxpZGF0aW9uIFNlY3VyZSBTZXJ2ZXIgQ0EwHhcNMTcwMjE1MDAwMDAwWhcNMjAwNDE2"
            + "MjM1OTU5WjBfMSEwHwYDVQQLExhEb21haW4gQ29udHJvbCBWYWxpZGF0ZWQxHTAbBgNVBAsTFFBvc2l0aXZlU1NMIFdpbGRjYXJkMRsw"
            + "GQYDVQQDDBIqLmxhbmRsb3Jkcy5jb20uYXUwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQCtPBKKHj4zdrGlCjgTHzb5gx9J"
            + "Cs97DwvBz60f14gDufF2haWbOxyJ0a3opAMsZnOr8HkARVCwxdqG/PTfACcb0QM7FOlzvxGqxataTYiChwvkkif8F9GlJw69HuHgzhus"
            + "Pf1Ytfk3ps1PRC14MkyrS4kwPrk/Le4XdkqRpRw62wG4V6IkbzsNMEOl1H8EgUbfyapdOcVxHjIzvBVy56fBRKG05Fr5wNq3Acak5kYZ"
            + "dNsLhhmlrqAfAjiombW3hb3V5blJdRC0BDdYHv2+zKey6LqJ1FDoXo6IzbzPpC+aifZy47YX+/N1U64Qn5xlDg7mOP8JXfkNJHbU1TJZ"
            + "Hif5AgMBAAGjggHhMIIB3TAfBgNVHSMEGDAWgBSQr2o6lFoL2JDqElZz30O0Oija5zAdBgNVHQ4EFgQUNQSLjkoz01I+iuuoC5lgEp0a"
            + "nhcwDgYDVR0PAQH/BAQDAgWgMAwGA1UdEwEB/wQCMAAwHQYDVR0lBBYwFAYIKwYBBQUHAwEGCCsGAQUFBwMCME8GA1UdIARIMEYwOgYL"
            + "KwYBBAGyMQECAgcwKzApBggrBgEFBQcCARYdaHR0cHM6Ly9zZWN1cmUuY29tb2RvLmNvbS9DUFMwCAYGZ4EMAQIBMFQGA1UdHwRNMEsw"
            + "SaBHoEWGQ2h0dHA6Ly9jcmwuY29tb2RvY2EuY29tL0NPTU9ET1JTQURvbWFpblZhbGlkYXRpb25TZWN1cmVTZXJ2ZXJDQS5jcmwwgYUG"
            + "CCsGAQUFBwEBBHkwdzBPBggrBgEFBQcwAoZDaHR0cDovL2NydC5jb21vZG9jYS5jb20vQ09NT0RPUlNBRG9tYWluVmFsaWRhdGlvblNl"
            + "Y3VyZVNlcnZlckNBLmNydDAkBggrBgEFBQcwAYYYaHR0cDovL29jc3AuY29tb2RvY2EuY29tMC8GA1UdEQQoMCaCEioubGFuZGxvcmRz"
            + "LmNvbS5hdYIQbGFuZGxvcmRzLmNvbS5hdTANBgkqhkiG9w0BAQsFAAOCAQEACyHqxUzrexToY7tOv4+kyGPP2D27P1tQpyzeAl1bPObi"
            + "MhNK2b9vvBLDWAaqm8c0YL1h+DBdLoWzf3xFsIkTCVCjWJTNSNlcYtgRk6or1s7jWsfXzWqsnPjPPmTIOCw7EfH7Yme3oxPs3UUsmShA"
            + "gPwNohAtL9GqlqMiKM6v1WU3NHt01jEoNP23LRa6KeNK6AH6WHJykzL223IlhgXjHTeuQj6lR+TNrQXJuhwTXYe+20rrpPQxc1Pn7Aqn"
            + "vfWgmicRQ7gdIcr4V6+ecTvLfNOaJ0ZYe5G5giuAAdTm7F57pk04f4gyZNYKrj88mvbkoriN8b6jcWExtrYO6bm2TwAA");

    // proof.json: audit_path of leaf 10000 in the tree above.
    static final List<byte[]> ARGON_INCLUSION_10000 = b64s(
            "T46AmJsuOM/gFiGlUp+IJJebp+1Z5qratFNW7U0JyOQ=", "9Jj1Feodn42uRYEfffkV4HF/EIPFQ5Zo9IwkxbQ2uhk=",
            "D53/1oCNebF4J59HHgioovKZxrmrKcVuCVhy3Izg8Ck=", "wSFDgGSrsXRPA+1c8WHoAFCsWeUv8NDyP/Q/SgsyVyY=",
            "516/RcwsgdwdzHn18v1dJHqBkgFUbNhmCIWOGjsMJaE=", "naTFY2ajLFgrgs5XUl+zJYZnnlJksLGsA1VYwpLfqbY=",
            "mKBRJo6qao+0Kdh/rhGkZUbHUAxMhrtrclrTpIbNjIg=", "Co4ueOFE7lpifLio94irxxsv1wFMMaK3tPu2ZQkHlro=",
            "yRgy800K6JMYCC05sWfqF2kvCg2riT/pVM+nEa6V5+0=", "n2O38XJZC8/Wpbwi9HhgVizlUyeUHVZvYyQB1607MRc=",
            "go3tAjuNfNSCj87y2Rg1xOroDknGN1eaf3cgvzObf7Q=", "8D0Mj3/J7ySSnFb0afIHYXv6rlOhECnsebY6XKi1IR8=",
            "6rcez46ZU8M5vPiWVMAUfJfAOV0pPP/mch/lYzZhj/M=", "2rtIeXrPvSdUyHc5maIgSAVB2BzaKaupWxSAiVayDE4=",
            "nniW/IMFQPN5xw8UsHFn7CRStYbm1gLu7NNa6kkRqJQ=", "mRPPi7sQS22MduIEyvcNzCNFqIt6kLwYPkNKrVtIcu8=",
            "JvTivzESNS9wHI8aph5a7uieVmtS/p9PciMZ5D6GyOo=", "UTyQd+Ym0wY4zG+qK806bBORwi1CSVvFQ/KknnqoZj8=",
            "hXODrqN+ff+U6zPqRQ+ZQKs6im1fPcxIerDSfNwflhE=", "II6GE+WY/DrpZzfHztLwkR46o37zVkNLCyPYlf68zA0=",
            "d609kWWcNBllbA8Jb/ad4XAVVGnScLRmtP8FYyr+Dck=", "rikBsP0G0gioXRpBFED2CzQdSLrGPvRd0bEcbEZw1rI=",
            "GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0=", "pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=",
            "f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA=", "WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=",
            "f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ=", "NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=",
            "C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI=", "nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=");

    // ct_test.go: the root of the tree of 3654490 leaves; consistency.json: the proof from it to the tree above.
    static final long ARGON_OLD_SIZE = 3654490L;
    static final byte[] ARGON_OLD_ROOT = Base64.getDecoder().decode("AuIZ5V6sDUj1vn3Y1K85oOaQ7y+FJJKtyRTl1edIKBQ=");
    static final List<byte[]> ARGON_CONSISTENCY = b64s(
            "80Sfbj6UQEdVSZCSIgh9NMPj3vCBzcc1A48B2crJSWg=", "FZcrgAHUk6nNPviJZq8kEK6jCG1d18pJOFE45ZDc1TQ=",
            "Q67reWXmPBo1UfmwBap4Xi9PMPfFdUSSw3WGlRZdG7k=", "eJ7CyhR4PxzBxDIsWgrVYW1eFUb9ndgf46tFmiqVrxA=",
            "QrDwp062Grm5WY8KdrhFsBuuNjGzRox2Jb8PmVL5OYw=", "XM4YMjMEdLH/XJam/ZWyaP14k3cmsOtnPsOWQ54lW1s=",
            "SGiBh+jOTGccXU48ZzgQ88lRcBmtB4wz4oSDndv2QTg=", "WAS6txqNLYKGL1GdBdpqmV42TTfn6cJsuDsqLXuTCNI=",
            "QFmRS0rirUA7ZN3lxFjDncV+E1OCrn3NUB4RCp+5fzc=", "Hdbp7It2XBNZmNDBpCN/KPd7vfVqxgzwOosqVIaEA9E=",
            "mxvHL0ZiblBdD7j7pIa1jlfB0gSqfJ6oX0UGo7L0VsU=", "q5hjyvoW6TL/PThgcitpDcSTrnKX2p1+aqscqH2euRA=",
            "jTOWDqt3IHj2NVFeezyBz2ofpru+ztEywqKUAfFclKI=", "GIRn0w3HqJdvU9j1WVD//eR6lk2AaTVjyzjsJNP8U88=",
            "x52GJvxG81fnQBrgOTbll1A5tz95/LXK0Ag1NhB0r1I=", "6/0OqrcTgc3o5dD5PymmoC96lB9yLPFuTHVvLy8fSGk=",
            "Gf+iKLfcXO5l4JEFmsZvSdG5q1uEeWPfYLrds6pmjz0=", "DGuaco+McyM3AfRSF6qX7RwSetwe2ieYJmxw5e9rVx0=",
            "2tQJ9V32hnYp+fdpP6TcjmgJmLeNVOMKM0Ml1kk4cNU=", "3PapK+IkyJr8I9yAErAmzuZezzLMzsg+PfeRCgNW8NQ=",
            "s6xiYeejb+wtqHA+URJZ2I/SCPyIW8coP6aB00FJbMY=", "z9lSpmdTcr5M5ZzKlc4EPh3SrSypKFdk6JUF/UccaZU=",
            "GXIElfmnRuWfbA4z7ubV/UwlpSRUbUeec7oL5HDDnh0=", "pR0SH/NYP6s9+8azWwaeUXA4Ze/3WCIgMfh5YW6wvcE=",
            "f3GuAKYVrF8RBg3s15jvA/YvV9oAliWtzP/imwPhQVA=", "WHn8zDxlVgkV+lSlmzaOdfSBrTHoRr5nT3d76q0KKWE=",
            "f2uV2ZxVgULzLPKuZcowRY3ZY7fRlX59iDBjV1R8kNQ=", "NzQVjJsvQwbi7WStMr9oFkh9VbHfK7LB6o7WwAqwNTs=",
            "C0LttBeYHZHgL+032JIcJC3CTBIyza/hsbmJUgJfmDI=", "nixU5CWTFVDlF4BGdcU6kA7WSYurEpe9jRWc+F/7sOc=");
}
