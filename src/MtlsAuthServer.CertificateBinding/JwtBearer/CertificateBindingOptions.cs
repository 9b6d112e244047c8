namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>Settings of <see cref="CertificateBoundTokenExtensions.RequireCertificateBoundTokens"/>.</summary>
public sealed class CertificateBindingOptions
{
    /// <summary>
    /// True (default): a token without <c>cnf</c> is refused. False: such a token is accepted as a plain bearer token,
    /// while a token that does carry <c>cnf</c> is still only accepted from its certificate.
    /// </summary>
    public bool RequireBinding { get; set; } = true;

    /// <summary>The <c>error_description</c> a refused client sees; deliberately says nothing about the cause.</summary>
    public string ErrorDescription { get; set; } = "The access token is not valid for this client certificate.";
}
