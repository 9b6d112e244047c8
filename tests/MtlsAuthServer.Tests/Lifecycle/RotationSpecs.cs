using System.Net;
using MtlsAuthServer.Tests.Infrastructure;

namespace MtlsAuthServer.Tests.Lifecycle;

/// <summary>
/// rotate: a new certificate (new key, new serial) for the same identity. tls_client_auth matches the identity,
/// so old and new both get tokens during the overlap, until the old one is revoked (then refused, the new one not).
/// </summary>
public sealed class RotationSpecs
{
    private static readonly TimeSpan Allowed = ToolPki.RefreshInterval + TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Old_and_new_certificates_both_work_during_the_overlap_and_revoking_the_old_one_leaves_the_new_one_working()
    {
        using var pki = await ToolPki.InitAsync();
        await pki.RunAsync("issue-client", "--name", "orders", "--subject", "CN=orders,O=Lifecycle Test",
            "--san-uri", "spiffe://example.org/ns/prod/sa/orders");
        using var host = pki.StartServer(settings => settings.AddTlsClient("orders", "tls_client_auth_san_uri", "spiffe://example.org/ns/prod/sa/orders"));

        var rotated = await pki.RunAsync("rotate", "--cert", pki.Layout.ClientCertificate("orders"), "--name", "orders-2");
        using var first = pki.LoadClient("orders");
        using var second = pki.LoadClient("orders-2");
        using var firstClient = host.CreateMtlsClient(first);
        using var secondClient = host.CreateMtlsClient(second);

        Assert.Contains("registration stays as it is", rotated.Output, StringComparison.Ordinal);
        Assert.Equal(first.SubjectName.RawData, second.SubjectName.RawData);
        Assert.Equal(first.Extensions["2.5.29.17"]!.RawData, second.Extensions["2.5.29.17"]!.RawData);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(first.PublicKey.EncodedKeyValue.RawData, second.PublicKey.EncodedKeyValue.RawData);
        var firstToken = await firstClient.GetAccessTokenAsync("orders");
        var secondToken = await secondClient.GetAccessTokenAsync("orders");
        Assert.Equal(OAuth.Thumbprint(first), OAuth.DecodePayload(firstToken).GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.Equal(OAuth.Thumbprint(second), OAuth.DecodePayload(secondToken).GetProperty("cnf").GetProperty("x5t#S256").GetString());

        // The overlap ends: the first certificate is revoked as superseded; the second keeps working.
        await pki.RunAsync("revoke", "--cert", pki.Layout.ClientCertificate("orders"), "--reason", "superseded");
        var (refusal, _) = await LiveRevocation.WaitForRefusalAsync(firstClient, "orders", Allowed);
        await OAuth.AssertRejectedAsync(refusal, host.Logs, "certificate_revoked", first);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.RequestTokenAsync("orders")).StatusCode);

        // rotate --revoke-old does both steps at once: a third certificate, and the second one revoked.
        var revokedOld = await pki.RunAsync("rotate", "--cert", pki.Layout.ClientCertificate("orders-2"), "--name", "orders-3", "--revoke-old");
        Assert.Contains("superseded", revokedOld.Output, StringComparison.Ordinal);
        using var third = pki.LoadClient("orders-3");
        using var thirdClient = host.CreateMtlsClient(third);
        var (secondRefusal, _) = await LiveRevocation.WaitForRefusalAsync(secondClient, "orders", Allowed);
        await OAuth.AssertRejectedAsync(secondRefusal, host.Logs, "certificate_revoked", second);
        Assert.Equal(HttpStatusCode.OK, (await thirdClient.RequestTokenAsync("orders")).StatusCode);
    }

    [Fact]
    public async Task A_rotated_self_signed_client_registers_both_certificates_for_the_overlap()
    {
        using var pki = await ToolPki.InitAsync();
        await pki.RunAsync("self-signed", "--name", "robot", "--subject", "CN=robot,O=Edge");
        var rotated = await pki.RunAsync("rotate", "--cert", pki.Layout.ClientCertificate("robot"), "--name", "robot-2");
        var registration = ToolOutput.RegistrationJson(rotated);
        Assert.Equal(2, registration.GetProperty("jwks").GetProperty("keys").GetArrayLength());

        using var host = pki.StartServer(settings => ToolOutput.AddClient(settings, 0, registration));
        using var old = pki.LoadClient("robot");
        using var renewed = pki.LoadClient("robot-2");
        using var oldClient = host.CreateMtlsClient(old);
        using var renewedClient = host.CreateMtlsClient(renewed);

        Assert.Equal(HttpStatusCode.OK, (await oldClient.RequestTokenAsync("robot")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await renewedClient.RequestTokenAsync("robot")).StatusCode);
    }

    [Fact]
    public async Task A_self_signed_certificate_cannot_be_revoked_by_rotate()
    {
        using var pki = await ToolPki.InitAsync();
        await pki.RunAsync("self-signed", "--name", "robot");

        var run = await PkiToolRun.RunAsync("rotate", "--cert", pki.Layout.ClientCertificate("robot"), "--revoke-old", "--pki", pki.Folder);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("remove it from the client's registration", run.Error, StringComparison.Ordinal);
    }
}
