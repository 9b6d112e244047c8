namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>
/// Settings of <see cref="CertificateBoundTokenExtensions.RequireCertificateBoundTokens"/>, one instance per JwtBearer scheme:
/// named options under the scheme's name (<c>IOptionsMonitor&lt;CertificateBindingOptions&gt;.Get("Bearer")</c>), as
/// ASP.NET Core's authentication handlers keep theirs.
/// </summary>
public sealed class CertificateBindingOptions
{
    /// <summary>
    /// True (default): a token without <c>cnf</c> is refused. False: such a token is accepted as a plain bearer token,
    /// while a token that does carry <c>cnf</c> is still only accepted from its certificate.
    /// </summary>
    public bool RequireBinding { get; set; } = true;

    /// <summary>The <c>error_description</c> a refused client sees; deliberately says nothing about the cause.</summary>
    public string ErrorDescription { get; set; } = "The access token is not valid for this client certificate.";

    /// <summary>
    /// The authentication scheme that validates the connection's certificate, e.g.
    /// <c>CertificateAuthenticationDefaults.AuthenticationScheme</c> of <c>AddCertificate(...)</c>. When set, a bound
    /// token is accepted only if that scheme authenticates the certificate it is bound to: "validated certificate +
    /// matching <c>cnf</c>". A scheme name that is not registered stops the host at start-up.
    /// </summary>
    public string? CertificateScheme { get; set; }

    /// <summary>
    /// The URL of this API's RFC 9728 metadata (<c>ProtectedResourceMetadata.MetadataUriFor(resource)</c>): when set,
    /// every challenge carries <c>resource_metadata="…"</c> (RFC 9728 §5.1).
    /// </summary>
    public Uri? ResourceMetadata { get; set; }
}
