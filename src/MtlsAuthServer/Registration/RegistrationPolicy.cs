using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Registration;

/// <summary>
/// Who may register a client (docs/adr/0008): a caller presenting an initial access token whose SHA-256 is configured
/// (RFC 7591 §3, compared in fixed time), and/or a caller whose mTLS certificate is an end-entity certificate issued
/// under a configured registration CA, checked by the same validator and chain rules as client certificates (validity,
/// usage, revocation). Which of the two suffices, or whether both are needed, is <see cref="DynamicRegistrationOptions"/>.
/// </summary>
public sealed class RegistrationPolicy
{
    private readonly DynamicRegistrationOptions _options;
    private readonly ClientCertificateValidator _validator;
    private readonly PresentedChainCache _presentedChains;
    private readonly byte[][] _tokenHashes;
    private readonly TrustBundle? _registrationCa;

    public RegistrationPolicy(IOptions<DynamicRegistrationOptions> options, ClientCertificateValidator validator, PresentedChainCache presentedChains)
    {
        _options = options.Value;
        _validator = validator;
        _presentedChains = presentedChains;
        _tokenHashes = [.. _options.InitialAccessTokenHashes.Select(hash => Base64Url.DecodeFromChars(hash))];
        _registrationCa = string.IsNullOrWhiteSpace(_options.CaPath) ? null : TrustBundle.Load(_options.CaPath, "Registration:CaPath");
    }

    /// <summary>Null when the caller may register; otherwise why not, and the detail for the log.</summary>
    public async Task<(RegistrationRefusal Refusal, string Detail)?> RefusalOfAsync(
        string? initialAccessToken, X509Certificate2? certificate, IFeatureCollection features, CancellationToken cancellationToken)
    {
        var tokenAccepted = initialAccessToken is not null && _tokenHashes.Length > 0 && IsConfiguredToken(initialAccessToken);
        if (initialAccessToken is not null && !tokenAccepted)
        {
            return (RegistrationRefusal.InitialAccessTokenInvalid, "the initial access token matches no Registration:InitialAccessTokenHashes entry");
        }

        (RegistrationRefusal, string)? certificateRefusal = null;
        var certificateAccepted = false;
        if (_registrationCa is not null && certificate is not null && (_options.RequireBoth || !tokenAccepted))
        {
            var policy = ClientChainPolicyFactory.Create(_registrationCa, _presentedChains.ForRequest(certificate, features, out _));
            var report = await _validator.ValidateIssuedAsync(certificate, policy, identity: null, runAllChecks: false, cancellationToken);
            certificateAccepted = report.IsValid;
            if (report.FirstFailure is { } failure)
            {
                certificateRefusal = (RegistrationRefusal.RegistrationCertificateUntrusted, $"not a registration CA certificate: {(failure.Reason is { } reason ? reason.Code() : "-")} {failure.Name}: {failure.Detail}");
            }
        }

        var allowed = _options.RequireBoth ? tokenAccepted && certificateAccepted : tokenAccepted || certificateAccepted;
        return allowed ? null : certificateRefusal ?? (RegistrationRefusal.NoRegistrationCredential, Missing(initialAccessToken, certificate));
    }

    private bool IsConfiguredToken(string token)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var match = false;
        foreach (var hash in _tokenHashes)
        {
            match |= CryptographicOperations.FixedTimeEquals(presented, hash); // every entry compared: no early exit
        }

        return match;
    }

    private string Missing(string? token, X509Certificate2? certificate) => (token, certificate, _registrationCa) switch
    {
        (null, _, null) => "no initial access token (Authorization: Bearer)",
        (null, null, _) => "no initial access token and no client certificate",
        (_, null, _) => "Registration:RequireBoth is on and no client certificate was presented",
        _ => "Registration:RequireBoth is on and no initial access token was presented",
    };
}
