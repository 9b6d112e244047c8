using System.Net;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Tests.Infrastructure;
using MtlsAuthServer.Tests.ScaleOut;

namespace MtlsAuthServer.Tests.Registration;

/// <summary>
/// Two instances on one PostgreSQL database: a client registered, rotated or deleted through one instance is honoured
/// by the other within the registration snapshot's bound (<see cref="RegisteredClientSnapshots.Lifetime"/>), and a
/// token issued by either stops introspecting as active once the client is deleted.
/// </summary>
public sealed class SharedDatabaseRegistrationSpecs : IClassFixture<PostgresServer>, IDisposable
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly SharedDeployment _deployment;

    public SharedDatabaseRegistrationSpecs(PostgresServer postgres) => _deployment = new SharedDeployment(postgres.CreateDatabase());

    [Fact]
    public async Task Registered_rotated_and_deleted_at_one_instance_honoured_at_the_other()
    {
        using var first = StartInstance();
        using var second = StartInstance();
        using var old = _pki.CreateSelfSigned("CN=shared partner 1", "shared-1.crt").Certificate;
        using var next = _pki.CreateSelfSigned("CN=shared partner 2", "shared-2.crt").Certificate;
        using var resource = _pki.IssueClient(DynamicRegistration.ResourceDn);
        using var oldAtFirst = first.CreateMtlsClient(old);
        using var oldAtSecond = second.CreateMtlsClient(old);
        using var nextAtFirst = first.CreateMtlsClient(next);
        using var nextAtSecond = second.CreateMtlsClient(next);
        using var resourceAtFirst = first.CreateMtlsClient(resource);

        var registered = await oldAtFirst.RegisteredAsync(DynamicRegistration.SelfSigned(old));
        var issuedBySecond = await oldAtSecond.GetAccessTokenAsync(registered.ClientId, "api:read"); // never seen there before: read from the database
        Assert.True(await resourceAtFirst.IsActiveAsync("sample-resource-api", issuedBySecond));

        // Rotation managed at the second instance; the first sees it within the snapshot bound.
        using (var added = await oldAtSecond.ManageAsync(HttpMethod.Put, registered, DynamicRegistration.SelfSigned(old, next)))
        {
            Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        }

        await Eventually.ReachesAsync(() => StatusAsync(nextAtFirst, registered.ClientId), status => status == HttpStatusCode.OK, "the added certificate at the first instance");
        using (var removed = await nextAtSecond.ManageAsync(HttpMethod.Put, registered, DynamicRegistration.SelfSigned(next)))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        await Eventually.ReachesAsync(() => StatusAsync(oldAtFirst, registered.ClientId), status => status == HttpStatusCode.Unauthorized, "the removed certificate refused at the first instance");
        var issuedByFirst = await nextAtFirst.GetAccessTokenAsync(registered.ClientId, "api:read");

        using (var deleted = await nextAtSecond.ManageAsync(HttpMethod.Delete, registered))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Rows revoked by OpenIddict's bulk update on PostgreSQL (ClientTokenRevocation's other branch): at least the two
        // tokens above (the status probes may have been given more). Bounded wait: the audit line reaches the capture
        // through the logging pipeline, not always before the response does.
        var disabled = await Eventually.ReachesAsync(
            () => Task.FromResult(new[] { first, second }.SelectMany(host => host.Logs.WithEventId(4902)).Where(e => e["ClientId"] == registered.ClientId).ToList()),
            events => events.Count > 0, "the disabled client's audit line");
        Assert.True(int.Parse(Assert.Single(disabled)["RevokedTokens"]!, System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.False(await resourceAtFirst.IsActiveAsync("sample-resource-api", issuedBySecond));
        Assert.False(await resourceAtFirst.IsActiveAsync("sample-resource-api", issuedByFirst));
        await Eventually.ReachesAsync(() => StatusAsync(nextAtFirst, registered.ClientId), status => status == HttpStatusCode.Unauthorized, "the deleted client refused at the first instance");
        Assert.Equal(HttpStatusCode.Unauthorized, (await nextAtFirst.ManageAsync(HttpMethod.Get, registered)).StatusCode);
    }

    [Fact]
    public async Task A_token_issued_in_the_moments_before_an_instance_saw_the_deletion_introspects_as_inactive()
    {
        using var first = StartInstance();
        using var second = StartInstance();
        using var partner = _pki.CreateSelfSigned("CN=late partner", "late.crt").Certificate;
        using var resource = _pki.IssueClient(DynamicRegistration.ResourceDn);
        using var atFirst = first.CreateMtlsClient(partner);
        using var atSecond = second.CreateMtlsClient(partner);
        using var resourceAtSecond = second.CreateMtlsClient(resource);
        var registered = await atFirst.RegisteredAsync(DynamicRegistration.SelfSigned(partner));
        await atSecond.GetAccessTokenAsync(registered.ClientId, "api:read"); // the second instance now holds a snapshot

        using (var deleted = await atFirst.ManageAsync(HttpMethod.Delete, registered))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Within its snapshot's bound the second instance may still issue; whatever it issued must not stay active.
        using var late = await atSecond.RequestTokenAsync(registered.ClientId, "api:read");
        if (late.StatusCode == HttpStatusCode.OK)
        {
            var token = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(late.Content)).GetProperty("access_token").GetString()!;
            await Eventually.ReachesAsync(() => resourceAtSecond.IsActiveAsync("sample-resource-api", token), active => !active, "the late token inactive");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        }
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string clientId)
    {
        using var response = await client.RequestTokenAsync(clientId, "api:read");
        return response.StatusCode;
    }

    private TokenServerHost StartInstance() => TokenServerHost.Start(_pki, settings => DynamicRegistration.Enable(_deployment.Apply(settings)));

    public void Dispose()
    {
        _deployment.Dispose();
        _pki.Dispose();
    }
}
