using System.ComponentModel.DataAnnotations;

namespace MtlsAuthServer.Registration;

/// <summary>
/// Configuration section <c>Registration</c>: RFC 7591 dynamic client registration on the mTLS listener, and who may
/// register (docs/adr/0008). Off unless enabled; once enabled, a caller needs an initial access token whose SHA-256 is
/// listed here, or a client certificate issued under <see cref="CaPath"/>, or both when <see cref="RequireBoth"/>.
/// </summary>
public sealed class DynamicRegistrationOptions
{
    public const string Section = "Registration";

    public bool Enabled { get; set; }

    /// <summary>
    /// SHA-256 of each accepted initial access token (RFC 7591 §3), base64url without padding, e.g.
    /// <c>printf %s "$TOKEN" | openssl dgst -sha256 -binary | basenc --base64url | tr -d =</c>. The tokens themselves are never configured.
    /// </summary>
    public List<string> InitialAccessTokenHashes { get; set; } = [];

    /// <summary>PEM bundle of registration CAs (a self-signed root, and its intermediates): a caller whose mTLS certificate is issued under it may register.</summary>
    public string? CaPath { get; set; }

    /// <summary>True: a caller needs both an initial access token and a registration CA certificate (when both are configured).</summary>
    public bool RequireBoth { get; set; }

    /// <summary>The scopes a registered client may be given (each must also be defined under <c>Scopes</c>); none by default.</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>Registration requests (all of /register, per source address) accepted per minute before 429.</summary>
    [Range(1, 10_000)]
    public int PermitsPerMinute { get; set; } = 30;

    /// <summary>Most clients registered at run time that may be active at once; a registration beyond it is refused.</summary>
    [Range(1, 1_000_000)]
    public int MaxClients { get; set; } = 10_000;
}
