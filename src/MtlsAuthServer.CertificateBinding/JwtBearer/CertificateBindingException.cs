namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>The authentication failure recorded when a validated JWT is not bound to the connection's certificate.</summary>
public sealed class CertificateBindingException : Exception
{
    public CertificateBindingException()
        : this(BindingFailure.TokenNotBound)
    {
    }

    public CertificateBindingException(string message)
        : base(message)
    {
    }

    public CertificateBindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CertificateBindingException(BindingFailure failure)
        : base($"The access token is not bound to the client certificate of this connection ({failure.Code()}).") => Failure = failure;

    public BindingFailure Failure { get; }
}
