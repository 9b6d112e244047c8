using MtlsAuthServer.ResourceApi.Diagnostics;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>
/// The failure of the caller-certificate scheme: why the certificate on the connection is not acceptable here. The
/// handler reports it as <see cref="Microsoft.AspNetCore.Authentication.AuthenticateResult.Failure"/>; the token
/// check turns it into the request's one logged reason (event 5001).
/// </summary>
public sealed class CallerCertificateRejectedException : Exception
{
    public CallerCertificateRejectedException()
        : this(TokenRejectionReason.ChainUntrusted, "the client certificate was refused")
    {
    }

    public CallerCertificateRejectedException(string message)
        : this(TokenRejectionReason.ChainUntrusted, message)
    {
    }

    public CallerCertificateRejectedException(string message, Exception innerException)
        : base(message, innerException) => Reason = TokenRejectionReason.ChainUntrusted;

    public CallerCertificateRejectedException(TokenRejectionReason reason, string detail)
        : base(detail) => Reason = reason;

    public TokenRejectionReason Reason { get; }

    public string Detail => Message;
}
