namespace MtlsAuthServer.Pki;

/// <summary>Object identifiers used across the PKI and the validator.</summary>
public static class Oids
{
    public const string CommonName = "2.5.4.3";
    public const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";
    public const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    public const string OcspSigning = "1.3.6.1.5.5.7.3.9";
    public const string BasicConstraints = "2.5.29.19";
    public const string KeyUsage = "2.5.29.15";
    public const string ExtendedKeyUsage = "2.5.29.37";
    public const string SubjectAlternativeName = "2.5.29.17";
    public const string CrlDistributionPoints = "2.5.29.31";
    public const string AuthorityInformationAccess = "1.3.6.1.5.5.7.1.1";
    public const string AuthorityKeyIdentifier = "2.5.29.35";
    public const string SubjectKeyIdentifier = "2.5.29.14";
    public const string CrlNumber = "2.5.29.20";
    public const string OcspAccessMethod = "1.3.6.1.5.5.7.48.1";
}
