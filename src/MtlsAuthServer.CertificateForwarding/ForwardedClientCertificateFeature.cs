using System.Net;

namespace MtlsAuthServer.CertificateForwarding;

/// <summary>
/// Set on every request in Forwarded mode: how its client certificate was decided, so the application can name the
/// precise reason when a request arrives without a usable certificate (e.g. <c>untrusted_forwarded_certificate</c>).
/// </summary>
public sealed record ForwardedClientCertificateFeature(ForwardingOutcome Outcome, IPAddress? Sender, string Detail);
