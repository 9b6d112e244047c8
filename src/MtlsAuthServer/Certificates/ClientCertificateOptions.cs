using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Certificates;

/// <summary>Configuration section <c>ClientCertificates</c>: validation knobs that aren't about trust or revocation.</summary>
public sealed class ClientCertificateOptions
{
    public const string Section = "ClientCertificates";

    /// <summary>Tolerance applied to notBefore/notAfter, for clocks that disagree a little.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);
}
