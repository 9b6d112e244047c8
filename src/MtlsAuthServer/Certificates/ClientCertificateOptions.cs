using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>Configuration section <c>ClientCertificates</c>: validation knobs that aren't about trust or revocation.</summary>
public sealed class ClientCertificateOptions
{
    public const string Section = "ClientCertificates";

    /// <summary>Tolerance applied to notBefore/notAfter, for clocks that disagree a little.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Smallest RSA key accepted anywhere in a client's path (anchor included); at least 2048, may only be raised.</summary>
    public int MinimumRsaKeyBits { get; set; } = CertificateAlgorithmPolicy.FloorRsaKeyBits;

    /// <summary>Smallest EC curve accepted (256, 384 or 521: P-256, P-384, P-521); may only be raised.</summary>
    public int MinimumEcCurveBits { get; set; } = CertificateAlgorithmPolicy.FloorEcCurveBits;
}

/// <summary>Refuses to start with algorithm minimums below the policy's floor; the message names the key.</summary>
public sealed class ClientCertificateOptionsValidator : IValidateOptions<ClientCertificateOptions>
{
    public ValidateOptionsResult Validate(string? name, ClientCertificateOptions options)
    {
        var errors = CertificateAlgorithmPolicy.ConfigurationErrors(options.MinimumRsaKeyBits, options.MinimumEcCurveBits, ClientCertificateOptions.Section);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
