package dev.canalboot.binlog.tls;

/** How the connection uses TLS, with the meanings MySQL clients give these names. */
public enum TlsMode {
    /** Plain text. */
    DISABLED,
    /** TLS when the server offers it, without verifying its certificate; plain text otherwise. */
    PREFERRED,
    /** TLS or fail; the certificate is not verified. */
    REQUIRED,
    /** TLS, the certificate chain verified against the trust store (or the JDK's). */
    VERIFY_CA,
    /** As VERIFY_CA, and the certificate must name the host connected to. */
    VERIFY_IDENTITY
}
