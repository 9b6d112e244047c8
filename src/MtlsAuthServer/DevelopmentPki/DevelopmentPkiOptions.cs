namespace MtlsAuthServer.DevelopmentPki;

/// <summary>
/// Configuration section <c>DevelopmentPki</c> (on in the Development environment only): on first start, create a
/// throw-away PKI, token keys and demo client certificates so the server runs with no configuration.
/// </summary>
public sealed class DevelopmentPkiOptions
{
    public const string Section = "DevelopmentPki";

    public bool Enabled { get; set; }

    /// <summary>Where the PKI is written (relative paths are relative to the content root).</summary>
    public string Folder { get; set; } = "certs";

    /// <summary>Base URL stamped into certificates as their CRL distribution point (the management listener serves it).</summary>
    public string? CrlBaseUrl { get; set; }

    /// <summary>Client certificates to issue: name → subject DN.</summary>
    public Dictionary<string, string> Clients { get; set; } = new(StringComparer.Ordinal);

    public string SigningKeyPath { get; set; } = "certs/dev-token-signing.key";

    public string EncryptionKeyPath { get; set; } = "certs/dev-token-encryption.key";

    /// <summary>How long each re-signed development CRL is valid (its nextUpdate).</summary>
    public TimeSpan CrlValidity { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A CRL is re-signed once its nextUpdate is less than this away (well before it lapses).</summary>
    public TimeSpan CrlRenewBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How often the running server looks at the CRLs' nextUpdate.</summary>
    public TimeSpan CrlCheckInterval { get; set; } = TimeSpan.FromHours(1);
}
