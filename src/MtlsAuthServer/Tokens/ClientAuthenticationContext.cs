using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// Per-request facts about the caller's certificate, shared between our OpenIddict handlers and the
/// application manager (OpenIddict hands the manager only the leaf and a policy).
/// </summary>
public sealed class ClientAuthenticationContext
{
    public string Endpoint { get; set; } = "-";

    /// <summary>True once the request is known to be a token, introspection or revocation request.</summary>
    public bool IsClientAuthenticationRequest => Endpoint != "-";

    public X509Certificate2? Certificate { get; set; }

    /// <summary>
    /// Intermediates the client sent in its handshake (or its proxy forwarded); on a resumed session, those its
    /// certificate last authenticated with in a full handshake (<see cref="Certificates.PresentedChainCache"/>).
    /// </summary>
    public IReadOnlyList<X509Certificate2> PresentedIntermediates { get; set; } = [];

    /// <summary>True when <see cref="PresentedIntermediates"/> came in this connection's own full handshake: kept if the chain builds with them.</summary>
    public bool RememberIntermediatesOnSuccess { get; set; }

    /// <summary>The registrations this request has looked up (one instance per client for the whole request).</summary>
    public Dictionary<string, OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreApplication?> Applications { get; } = new(StringComparer.Ordinal);

    /// <summary>Set once a rejection has been logged and counted, so it is recorded exactly once.</summary>
    public bool RejectionRecorded { get; set; }
}
