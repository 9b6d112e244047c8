using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.ResourceApi.Certificates;

/// <summary>Configuration section <c>ClientCertificates</c>: how the caller's certificate is checked.</summary>
public sealed class ClientCertificateOptions
{
    public const string Section = "ClientCertificates";

    /// <summary>Tolerance for clock differences when checking notBefore / notAfter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
