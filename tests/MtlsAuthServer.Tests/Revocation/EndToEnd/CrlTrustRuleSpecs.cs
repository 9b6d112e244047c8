using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.Revocation.Hostile;

namespace MtlsAuthServer.Tests.Revocation.EndToEnd;

/// <summary>
/// RFC 5280 §6.3.3 at the token endpoint: which validly signed CRLs may still not be believed — older than one already
/// seen (rollback), without nextUpdate past the refresh bound, for another partition, or v1.
/// </summary>
public sealed class CrlTrustRuleSpecs : IAsyncLifetime
{
    private RevocationEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await RevocationEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    private DateTimeOffset Now => TestPki.Now + _endpoint.Clock.Offset;

    [Fact]
    public async Task An_older_crl_published_after_a_revocation_does_not_undo_it_and_is_logged_as_a_rollback()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        var before = Crl(new CrlSpec { CrlNumber = 1, ThisUpdate = Now.AddHours(-2), NextUpdate = Now.AddDays(1) });
        var revoking = Crl(new CrlSpec { CrlNumber = 2, ThisUpdate = Now.AddMinutes(-1), NextUpdate = Now.AddDays(1), Revoked = [CrlSpec.Entry(certificate, Now.AddMinutes(-2))] });
        _endpoint.Crls.Serve("issuing.crl", revoking);
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);
        using (var first = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
            await OAuth.AssertRejectedAsync(first, host.Logs, "certificate_revoked", certificate);
        }

        // Still current (nextUpdate tomorrow) and validly signed, but number 1 < 2.
        _endpoint.Crls.Serve("issuing.crl", before);
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(61);
        using var second = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(["certificate_revoked", "certificate_revoked"], host.Logs.Rejections.Select(e => e["Reason"]));
        var rollback = Assert.Single(host.Logs.WithEventId(4011));
        Assert.Equal(_endpoint.IssuingCrlUri.AbsoluteUri, rollback["Source"]);
        Assert.Contains("CRL number 1", rollback["Offered"], StringComparison.Ordinal);
        Assert.Contains("CRL number 2", rollback["Held"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unnumbered_crl_with_an_earlier_this_update_is_a_rollback_too()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { CrlNumber = null, ThisUpdate = Now.AddMinutes(-1), Revoked = [CrlSpec.Entry(certificate, Now.AddMinutes(-2))] }));
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);
        using (await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
        }

        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { CrlNumber = null, ThisUpdate = Now.AddHours(-3) }));
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(61);
        using var second = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Single(host.Logs.WithEventId(4011));
        Assert.Equal("certificate_revoked", host.Logs.Rejections[^1]["Reason"]);
    }

    [Fact]
    public async Task A_crl_without_next_update_is_believed_for_the_refresh_interval_and_never_as_a_fallback()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { NextUpdate = null, ThisUpdate = Now.AddSeconds(-5) }));
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);
        await RevocationEndpoint.AssertAcceptedAsync(client);

        // The distribution point goes down after the refresh interval: a CRL that promised no nextUpdate can't stand in.
        _endpoint.Crls.ServeStatus("issuing.crl", 503);
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(61);
        using var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        Assert.Contains("HTTP 503", host.Logs.Rejections[^1]["Detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_year_old_crl_without_next_update_is_not_current()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { NextUpdate = null, ThisUpdate = Now.AddYears(-1) }));
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        Assert.Contains("has no nextUpdate", host.Logs.Rejections[^1]["Detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crl_for_another_partition_is_not_believed_and_one_for_the_certificates_partition_is()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { IdpFullNameUris = [new Uri(_endpoint.Crls.BaseUri, "partition-2.crl").AbsoluteUri] }));
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using (var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read"))
        {
            await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        }

        Assert.Contains("another partition", host.Logs.Rejections[^1]["Detail"], StringComparison.Ordinal);

        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { CrlNumber = 2, IdpFullNameUris = [_endpoint.IssuingCrlUri.AbsoluteUri] }));
        _endpoint.Clock.Offset += TimeSpan.FromSeconds(61);
        await RevocationEndpoint.AssertAcceptedAsync(client);
    }

    [Fact]
    public async Task A_crl_for_ca_certificates_only_does_not_speak_for_a_client()
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        _endpoint.Crls.Serve("issuing.crl", Crl(new CrlSpec { IdpOnlyCaCerts = true }));
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        Assert.Contains("excludes this kind of certificate", host.Logs.Rejections[^1]["Detail"], StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RefusedCrls => new()
    {
        { "v1", "v1 CRLs are not accepted" },
        { "delta", "Delta CRLs are not supported" },
        { "indirect", "Unsupported issuing distribution point options" },
        { "only-some-reasons", "Unsupported issuing distribution point options" },
        { "unknown-critical-extension", "Unsupported critical CRL extension 1.2.3.4" },
        { "unknown-critical-entry-extension", "Unsupported critical CRL entry extension 1.2.3.5" },
        { "bad-signature", "does not verify" },
        { "other-issuer-name", "not the certificate's issuer" },
    };

    [Theory]
    [MemberData(nameof(RefusedCrls))]
    public async Task A_crl_this_server_cannot_fully_honour_is_refused_as_unknown(string kind, string logged)
    {
        using var certificate = _endpoint.Pki.IssueClient(RevocationEndpoint.ClientSubject);
        var spec = kind switch
        {
            "v1" => new CrlSpec { Version = null, CrlNumber = null, IncludeAuthorityKeyIdentifier = false },
            "delta" => new CrlSpec { CrlNumber = 5, DeltaCrlIndicator = true },
            "indirect" => new CrlSpec { IdpIndirectCrl = true },
            "only-some-reasons" => new CrlSpec { IdpOnlySomeReasons = true },
            "unknown-critical-extension" => new CrlSpec { UnknownCriticalExtensionOid = "1.2.3.4" },
            "unknown-critical-entry-extension" => new CrlSpec { UnknownCriticalEntryExtensionOid = "1.2.3.5", Revoked = [CrlSpec.Entry(_endpoint.Pki.Server, Now)] },
            "bad-signature" => new CrlSpec { CorruptSignature = true },
            _ => new CrlSpec { IssuerName = new System.Security.Cryptography.X509Certificates.X500DistinguishedName("CN=Someone Else") },
        };
        _endpoint.Crls.Serve("issuing.crl", Crl(spec));
        using var host = _endpoint.StartHost();
        using var client = host.CreateMtlsClient(certificate);

        using var refused = await client.RequestTokenAsync(RevocationEndpoint.ClientId, "api:read");

        await OAuth.AssertRejectedAsync(refused, host.Logs, "revocation_unknown", certificate);
        Assert.Contains(logged, host.Logs.Rejections[^1]["Detail"], StringComparison.Ordinal);
    }

    private byte[] Crl(CrlSpec spec) => TestCrlWriter.Write(spec, _endpoint.Pki.Issuing.Certificate);
}
