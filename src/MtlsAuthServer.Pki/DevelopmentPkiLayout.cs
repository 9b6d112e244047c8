namespace MtlsAuthServer.Pki;

/// <summary>File names of a PKI folder created by <see cref="DevelopmentPki"/> or <c>mtls-pki init</c> (and read by the server's dev defaults).</summary>
public sealed record DevelopmentPkiLayout(string Folder)
{
    public string RootCertificate => Path.Combine(Folder, "root-ca.crt");
    public string RootKey => Path.Combine(Folder, "root-ca.key");
    public string RootState => Path.Combine(Folder, "root-ca.state.json");
    public string IssuingCertificate => Path.Combine(Folder, "issuing-ca.crt");
    public string IssuingKey => Path.Combine(Folder, "issuing-ca.key");
    public string IssuingState => Path.Combine(Folder, "issuing-ca.state.json");
    public string TrustAnchors => Path.Combine(Folder, "trust-anchors.pem");
    public string Intermediates => Path.Combine(Folder, "intermediates.pem");
    public string ServerCertificate => Path.Combine(Folder, "server.crt");
    public string ServerKey => Path.Combine(Folder, "server.key");
    public string CrlFolder => Path.Combine(Folder, "crl");
    public string RootCrl => Path.Combine(CrlFolder, "root-ca.crl");
    public string IssuingCrl => Path.Combine(CrlFolder, "issuing-ca.crl");
    public string ClientsFolder => Path.Combine(Folder, "clients");

    /// <summary>The root CA's files: it signs the issuing CA and the CRL that can revoke it.</summary>
    public CaFiles RootCa => new("root-ca", RootCertificate, RootKey, RootState, RootCrl);

    /// <summary>The issuing CA's files: it signs server and client certificates and their CRL.</summary>
    public CaFiles IssuingCa => new("issuing-ca", IssuingCertificate, IssuingKey, IssuingState, IssuingCrl);

    public string ClientCertificate(string name) => Path.Combine(ClientsFolder, name + ".crt");

    public string ClientKey(string name) => Path.Combine(ClientsFolder, name + ".key");

    public bool Exists => File.Exists(RootCertificate) && File.Exists(IssuingKey) && File.Exists(ServerKey);
}
